"""The listing kind in the moderation queue: remove sets status "removed", restore makes it
active again."""

from __future__ import annotations

from app.core.moderation import ModerationTarget
from app.extensions import db
from app.listings.display import listing_url
from app.models import Listing


def load(listing_id: int) -> Listing | None:
    return db.session.get(Listing, listing_id)


def remove(listing: Listing) -> None:
    listing.status = "removed"


def restore(listing: Listing) -> None:
    listing.status = "active"


def url(listing: Listing) -> str | None:
    return listing_url(listing.id)


TARGET = ModerationTarget(
    kind="listing",
    load=load,
    title=lambda listing: listing.title,
    url=url,
    excerpt=lambda listing: (listing.description or "")[:300],
    author_id=lambda listing: listing.seller_id,
    remove=remove,
    restore=restore,
    is_removed=lambda listing: listing.status == "removed",
)
