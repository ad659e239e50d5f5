"""Saved searches: a member keeps a filter set (up to MAX_SAVED_SEARCHES) and is notified
when a new listing matches it (`alert_saved_searches`, a job queued when a listing goes on
sale). The caller commits."""

from __future__ import annotations

from sqlalchemy import delete, func, or_, select

from app.core.time import utcnow
from app.extensions import db
from app.i18n.formats import format_price
from app.listings.display import listing_url, path_for
from app.listings.filters import Filters, MultiArgs, matches
from app.models import Brand, CarModel, Listing, SavedSearch, User
from app.notifications.services import notify

MAX_SAVED_SEARCHES = 50


def describe(filters: Filters) -> str:
    """A short name for a saved search: make, model, and the free text."""
    v = filters.values
    parts = []
    if "brand" in v and (brand := db.session.get(Brand, v["brand"])):
        parts.append(brand.name)
    if "model" in v and (model := db.session.get(CarModel, v["model"])):
        parts.append(model.name)
    if "q" in v:
        parts.append(f"“{v['q']}”")
    if "year_from" in v or "year_to" in v:
        parts.append(f"{v.get('year_from', '…')}–{v.get('year_to', '…')}")
    if "price_to" in v:
        parts.append(f"≤ {format_price(v['price_to'], 'KZT')}")
    return " ".join(parts)[:120]


def save_search(user: User, filters: Filters, name: str) -> SavedSearch | None:
    """Save the current filters (None when the user already has MAX_SAVED_SEARCHES)."""
    count = db.session.scalar(select(func.count()).where(SavedSearch.user_id == user.id)) or 0
    if count >= MAX_SAVED_SEARCHES:
        return None
    saved = SavedSearch(
        user_id=user.id,
        name=(name or describe(filters) or "All cars")[:120],
        query=filters.query_string()[:2000],
        brand_id=filters.values.get("brand"),
    )
    db.session.add(saved)
    db.session.flush()
    return saved


def alert_saved_searches(listing_id: int) -> int:
    """A job, after a listing goes on sale: notify owners of saved searches it matches
    (only searches naming its make or no make are read). Returns how many were told."""
    listing = db.session.get(Listing, listing_id)
    if listing is None or not listing.is_public:
        return 0
    query = select(SavedSearch).where(
        or_(SavedSearch.brand_id == listing.brand_id, SavedSearch.brand_id.is_(None)),
        SavedSearch.user_id != listing.seller_id,
    )
    told = 0
    for saved in db.session.scalars(query):
        filters = Filters.parse(MultiArgs(saved.query))
        if matches(filters, listing):
            url = path_for("listings.search", **filters.query_args())
            notify(
                saved.user_id,
                "saved_search",
                {"title": listing.title, "url": listing_url(listing.id), "text": saved.name, "search_url": url},
            )
            saved.last_notified_at = utcnow()
            told += 1
    return told


def delete_saved_search(saved: SavedSearch) -> None:
    db.session.execute(delete(SavedSearch).where(SavedSearch.id == saved.id))
