"""Favourites: a member saves listings, sees them at /listings/favorites and hears when one
gets cheaper or is sold. The caller commits."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.core.time import utcnow
from app.extensions import db
from app.listings.display import listing_url
from app.models import Favorite, Listing, User
from app.models.listing import PUBLIC_STATUSES
from app.notifications.services import notify


def favourite_ids(user, listing_ids: list[int]) -> set[int]:
    """Which of these listings the viewer saved (none for guests)."""
    if user is None or not user.is_authenticated or not listing_ids:
        return set()
    query = select(Favorite.listing_id).where(Favorite.user_id == user.id, Favorite.listing_id.in_(listing_ids))
    return set(db.session.scalars(query))


def toggle_favourite(user: User, listing: Listing) -> bool:
    """Save or unsave; returns whether it is now saved."""
    existing = db.session.get(Favorite, (user.id, listing.id))
    if existing is not None:
        db.session.delete(existing)
        delta = -1
    else:
        db.session.add(Favorite(user_id=user.id, listing_id=listing.id))
        delta = 1
    db.session.flush()
    db.session.execute(
        update(Listing).where(Listing.id == listing.id).values(favorites_count=Listing.favorites_count + delta)
    )
    return delta > 0


def user_favourites(user: User) -> tuple[list[Listing], list[Listing]]:
    """A member's saved listings still on the site, newest saved first, as (shown as usual,
    no longer available): a banned seller's cars go to the second list."""
    query = (
        select(Listing)
        .join(Favorite, Favorite.listing_id == Listing.id)
        .where(Favorite.user_id == user.id, Listing.status.in_(PUBLIC_STATUSES))
        .order_by(Favorite.created_at.desc())
        .options(selectinload(Listing.city))
    )
    listings = list(db.session.scalars(query))
    banned = banned_sellers({listing.seller_id for listing in listings})
    return [x for x in listings if x.seller_id not in banned], [x for x in listings if x.seller_id in banned]


def banned_sellers(seller_ids: set[int]) -> set[int]:
    """Which of these users are banned now."""
    if not seller_ids:
        return set()
    query = select(User.id).where(User.id.in_(seller_ids), User.banned_until > utcnow())
    return set(db.session.scalars(query))


def tell_favouriters(listing_id: int, kind: str, details: dict | None = None) -> None:
    """A job: notify everyone who saved the listing (not its seller) of a price drop or a
    sale; `details` (prices) are shown in each reader's language (notifications.describe)."""
    listing = db.session.get(Listing, listing_id)
    if listing is None:
        return
    user_ids = db.session.scalars(select(Favorite.user_id).where(Favorite.listing_id == listing.id))
    payload = {"title": listing.title, "url": listing_url(listing.id), "listing_id": listing.id, **(details or {})}
    for user_id in user_ids:
        if user_id != listing.seller_id:
            notify(user_id, kind, payload)
