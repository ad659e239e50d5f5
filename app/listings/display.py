"""How listings are shown outside their own page (prices and mileage: app/i18n/formats.py),
city names, links and the small card the forum and chat embed.

City names come from the catalogue's shared cache (`catalog.cached`, per language).
"""

from __future__ import annotations

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import media
from app.catalog.services import cached
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


def city_names() -> dict[int, str]:
    """City id → name in the page's language, from the catalogue's shared cache."""
    language = current_language()
    return cached(
        ("city-names", language),
        lambda: {city.id: city.local_name(language) for city in db.session.scalars(select(City))},
    )


def city_name(city_id: int) -> str:
    return city_names().get(city_id, "")
