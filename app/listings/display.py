"""How listings are shown outside their own page (prices and mileage: app/i18n/formats.py),
city names, links and the small card the forum and chat embed.

The catalogue changes only when `flask catalog load` runs: its names and select options are
kept in memory for CATALOG_CACHE_SECONDS (0 under TESTING, where tests rebuild it).
"""

from __future__ import annotations

import time
from typing import Any

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import media
from app.extensions import db
from app.i18n.formats import format_price
from app.i18n.locale import current_language, local_name
from app.models import City, Listing


def path_for(endpoint: str, **values) -> str:
    """url_for that also works outside a request (CLI loaders, background work): a site path."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def status_label(status: str) -> str:
    """A listing's status in the page's language ("продано"), for pages and embedded cards."""
    return {
        "draft": _("a draft"),
        "active": _("for sale"),
        "reserved": _("reserved"),
        "sold": _("sold"),
        "archived": _("archived"),
        "expired": _("expired"),
        "removed": _("deleted"),
    }.get(status, status)


def listing_url(listing_id: int) -> str:
    return path_for("listings.show", listing_id=listing_id)


def thumb_url(listing: Listing, variant: str = "thumb") -> str | None:
    return media.image_url("listings", listing.cover, variant) if listing.cover else None


def listing_card(listing_id: int) -> dict | None:
    """A small summary for the forum and chat: None when missing or not public."""
    listing = db.session.get(Listing, listing_id, options=[selectinload(Listing.city)])
    if listing is None or not listing.is_public:
        return None
    return {
        "id": listing.id,
        "title": listing.title,
        "price_text": format_price(listing.price, listing.currency),
        "year": listing.year,
        "mileage_km": listing.mileage_km,
        "city": local_name(listing.city),
        "url": listing_url(listing.id),
        "thumb_url": thumb_url(listing),
        "status": listing.status,
    }


_catalog_cache: dict[tuple, tuple[float, Any]] = {}


def catalog_cached(key: tuple, load):
    """`load()`, kept for CATALOG_CACHE_SECONDS under `key` (the catalogue and the filter form)."""
    ttl = current_app.config.get("CATALOG_CACHE_SECONDS", 0 if current_app.testing else 300)
    now = time.monotonic()
    hit = _catalog_cache.get(key)
    if ttl and hit and now - hit[0] < ttl:
        return hit[1]
    value = load()
    if ttl:
        _catalog_cache[key] = (now, value)
    return value


def city_names() -> dict[int, str]:
    """City id → name in the page's language, kept with the catalogue cache."""
    language = current_language()
    return catalog_cached(
        ("city-names", language),
        lambda: {city.id: city.local_name(language) for city in db.session.scalars(select(City))},
    )


def city_name(city_id: int) -> str:
    return city_names().get(city_id, "")
