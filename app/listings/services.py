"""A listing's life: create, edit (recording price changes), status moves and counted views.
Plain functions that add and flush; the caller commits.

The rest of the marketplace lives beside this module: search.py and filters.py (finding
cars), copies.py (the columns search reads), photos.py, favorites.py, saved_searches.py and
display.py (prices, links and cards shown elsewhere).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, delete, update
from sqlalchemy.exc import IntegrityError

from app.core.jobs import enqueue
from app.core.time import utcnow
from app.extensions import db
from app.listings.copies import refresh_copies
from app.listings.favorites import tell_favouriters
from app.listings.saved_searches import alert_saved_searches
from app.models import Listing, ListingView, PriceChange, User
from app.models.listing import SEARCHABLE_STATUSES

EDITABLE_FIELDS = (
    "brand_id",
    "model_id",
    "generation_id",
    "city_id",
    "year",
    "mileage_km",
    "price",
    "currency",
    "body",
    "fuel",
    "transmission",
    "drive",
    "colour",
    "steering",
    "condition",
    "engine_volume_l",
    "power_hp",
    "vin",
    "description",
)


def create_listing(seller: User, data: dict[str, Any], *, draft: bool = False) -> Listing:
    """A new listing by `seller`; `data` is validated form data. A draft is seen by its seller
    only, until `publish`; an active listing alerts saved searches at once (seeding, imports)."""
    listing = Listing(seller_id=seller.id, is_dealer=seller.is_dealer, status="draft" if draft else "active")
    for name in EDITABLE_FIELDS:
        setattr(listing, name, data.get(name))
    listing.description = listing.description or ""
    refresh_copies(listing)
    if not draft:
        start_lifetime(listing)
    db.session.add(listing)
    db.session.flush()
    if not draft:
        enqueue(alert_saved_searches, listing.id)
    return listing


def publish_problems(listing: Listing) -> list[str]:
    """What still stops a draft from going live (the checklist on the draft page)."""
    return [] if listing.photo_count > 0 else ["photo"]


def publish(listing: Listing) -> bool:
    """Put a draft on sale: refused (False) unless it is a draft with at least one photo.
    It goes live as new (created and bumped now, its lifetime starting) and saved searches
    hear of it."""
    if listing.status != "draft" or publish_problems(listing):
        return False
    listing.status = "active"
    listing.created_at = listing.bumped_at = utcnow()
    start_lifetime(listing)
    db.session.flush()
    enqueue(alert_saved_searches, listing.id)
    return True


def update_listing(listing: Listing, data: dict[str, Any]) -> None:
    """Apply edits; a new price is recorded in the history and a drop tells favouriters."""
    old_price, old_currency, old_kzt = listing.price, listing.currency, listing.price_kzt
    for name in EDITABLE_FIELDS:
        setattr(listing, name, data.get(name))
    listing.description = listing.description or ""
    refresh_copies(listing)
    if (listing.price, listing.currency) != (old_price, old_currency):
        db.session.add(
            PriceChange(listing_id=listing.id, old_price=old_price, new_price=listing.price, currency=listing.currency)
        )
        if listing.price_kzt < old_kzt and listing.status in SEARCHABLE_STATUSES:
            # numbers, not text: each reader sees the prices in their own language
            prices = {"old_price": old_price, "old_currency": old_currency, "new_price": listing.price}
            enqueue(tell_favouriters, listing.id, "price_drop", {**prices, "currency": listing.currency})
    db.session.flush()


def start_lifetime(listing: Listing) -> None:
    """The listing stays on sale LISTING_LIFETIME_DAYS from now (publication or renewal);
    its owner will be told again before the new date."""
    listing.expires_at = utcnow() + timedelta(days=current_app.config["LISTING_LIFETIME_DAYS"])
    listing.expiry_noticed_at = None


# Allowed moves: action -> (statuses it may start from, new status)
STATUS_ACTIONS = {
    "reserve": (("active",), "reserved"),
    "activate": (("reserved", "sold", "archived"), "active"),
    "sold": (("active", "reserved"), "sold"),
    "archive": (("active", "reserved", "sold", "expired"), "archived"),
    "delete": (("draft", "active", "reserved", "sold", "archived", "expired"), "removed"),
}


def change_status(listing: Listing, action: str) -> bool:
    """Move the listing by an owner's action; False when the move is not allowed from here.
    Deleting is soft (status "removed"); selling tells the people who saved it. Putting a
    listing back on sale never raises it (archive → activate was a free, unlimited raise):
    it keeps its place in "newest", and gets a new lifetime only when its old one is over."""
    allowed = STATUS_ACTIONS.get(action)
    if allowed is None or listing.status not in allowed[0]:
        return False
    listing.status = allowed[1]
    if action == "activate" and (listing.expires_at is None or listing.expires_at <= utcnow()):
        start_lifetime(listing)
    if action == "sold":
        enqueue(tell_favouriters, listing.id, "sold")
    db.session.flush()
    return True


def visitor_key(user, address: str | None, agent: str | None) -> str:
    """Who is viewing, for counting views: a member by id, a guest by a hash of address and browser."""
    if user is not None and user.is_authenticated:
        return f"u{user.id}"
    digest = hashlib.sha256(f"{address}|{agent}".encode()).hexdigest()[:40]
    return f"a{digest}"


def record_view(listing: Listing, visitor: str) -> bool:
    """Count a view once per visitor and day; the owner is not counted (the caller skips them).
    Returns whether the counter went up."""
    today = utcnow().date()
    try:
        with db.session.begin_nested():
            db.session.add(ListingView(listing_id=listing.id, visitor=visitor, day=today))
    except IntegrityError:
        return False
    db.session.execute(update(Listing).where(Listing.id == listing.id).values(views=Listing.views + 1))
    return True


def prune_views() -> str:
    """Forget the listing_views rows older than LISTING_VIEWS_KEEP_DAYS (a periodic task):
    a row only stops a visitor being counted twice on one day; the count is `listings.views`."""
    cutoff = utcnow().date() - timedelta(days=current_app.config["LISTING_VIEWS_KEEP_DAYS"])
    result = db.session.execute(delete(ListingView).where(ListingView.day < cutoff))
    deleted = cast(CursorResult[Any], result).rowcount  # a DELETE's result is a CursorResult
    return f"{deleted or 0} listing views from before {cutoff.isoformat()} deleted"
