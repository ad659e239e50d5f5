"""Listing cards' HTML, rendered once and reused while nothing it shows has changed.

A search page shows 20–23 cards, and rendering them (prices, mileage and relative times
through Babel, the markup through Jinja) was more than half of the page's CPU. A card's
HTML depends on the page's language, the listing's shown fields, its seller's rating, its
deal rating and what its relative time says now; the key below holds all of them, so the
cache needs no invalidation: a changed price or a passing hour makes a new key, and the
old entry ages out of the LRU. The viewer's own part (the favourite button with its form
token) is not cached: the card is stored as the HTML before and after it.

Per process, in memory (no Redis round trip, nothing pickled): LISTING_CARD_CACHE_SIZE
entries of about 2 KB each, 0 turns it off.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, request
from markupsafe import Markup

from app.core.lru import LRU
from app.i18n.formats import timeago_key
from app.i18n.locale import current_language
from app.listings.display import city_name

# Where the favourite button goes in a rendered card (see _macros/listings.html).
VIEWER_PART = "<!--viewer-->"
# The request's rendered viewer parts, by "is a favourite" (in its WSGI environ, so two
# requests never share one, even in tests that hold one app context).
VIEWER_MEMO = "garage.card_viewer_parts"


def card_key(listing, rating, deal) -> tuple:
    """Everything a card shows, except the viewer's favourite button."""
    return (
        listing.id,
        current_language(),
        listing.title,
        listing.cover,
        listing.price,
        listing.currency,
        listing.year,
        listing.mileage_km,
        city_name(listing.city_id),  # a renamed city shows at once
        listing.status,
        listing.is_dealer,
        listing.is_top,
        listing.is_highlighted,
        timeago_key(listing.bumped_at),
        rating,
        deal and (deal.band, deal.median_kzt, deal.compared),
    )


def card_parts(listing, rating, deal, render: Callable[..., str]) -> tuple[Markup, Markup]:
    """The card's HTML before and after the viewer's part; `render(listing, rating, deal)`
    (the template's card macro) makes it on a miss."""
    cache: LRU[tuple[Markup, Markup]] | None = current_app.extensions.get("listing_cards")
    if cache is None:
        return split_at_viewer(render(listing, rating, deal))
    key = card_key(listing, rating, deal)
    parts = cache.get(key)
    if parts is None:
        parts = split_at_viewer(render(listing, rating, deal))
        cache.put(key, parts)
    return parts


def split_at_viewer(html: str) -> tuple[Markup, Markup]:
    # The macro's output is autoescaped HTML; str() so the marker is matched as text.
    before, _, after = str(html).partition(VIEWER_PART)
    return Markup(before), Markup(after)  # noqa: S704


def grid_cards(
    listings,
    favourite_ids,
    ratings: dict | None,
    deals: dict | None,
    render: Callable[..., str],
    render_viewer: Callable[[bool], str],
) -> Markup:
    """A grid's cards, each in its column: the cached halves around the viewer's part
    (`render_viewer(is favourite)`, rendered once per request however many grids the page
    has, with the listing's id put in for LISTING_ID). A Python loop: the same loop in Jinja
    cost more than the cached cards saved."""
    viewer: dict[bool, str] = request.environ.setdefault(VIEWER_MEMO, {})
    columns = []
    for listing in listings:
        rating = ratings.get(listing.seller_id) if ratings else None
        deal = deals.get(listing.id) if deals else None
        before, after = card_parts(listing, rating, deal, render)
        favourite = listing.id in favourite_ids
        if favourite not in viewer:
            viewer[favourite] = str(render_viewer(favourite))
        mine = viewer[favourite].replace("LISTING_ID", str(listing.id))
        columns.append(f'<div class="col">{before}{mine}{after}</div>')
    return Markup("\n".join(columns))  # noqa: S704 (our own templates' autoescaped output)


def init_app(app: Flask) -> None:
    size = app.config["LISTING_CARD_CACHE_SIZE"]
    if size:
        app.extensions["listing_cards"] = LRU(size)
    app.add_template_global(grid_cards, "grid_cards")
