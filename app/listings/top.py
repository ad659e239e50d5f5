"""The Top slot: running paid Top listings that match a search, shown in turn above its
results (a paid promotion, see promotions.py).

Which Top listings match a filter set — the ring, ordered by id — is shared by every process
for CACHE_SEARCH_FACTS_SECONDS. The cards' fields of the Top listings a process shows are
kept in that process under the version of search's namespace they were read with, and read
ahead for the next pages of the rotation: a page whose Top listings were read before asks
the database nothing, so the slot costs one search page in about 50 a query and the rest
none. Anything that changes what search shows retires the namespace (freshness.py), and
with it every kept card; a Top run that ends is checked on every page (`is_top`), since
only time changes then.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import select

from app.core import cache
from app.core.lru import LRU
from app.core.time import utcnow
from app.extensions import db
from app.listings.filters import Filters
from app.listings.freshness import NAMESPACE
from app.listings.search import FACTS_BUDGET, facts_seconds, matching_conditions, on_sale_conditions
from app.models import Listing
from app.models.listing import PromotionMarks

# Cards kept per process, a few hundred bytes each: 1,000 Top listings under two versions.
KEPT_CARDS = 2000
# Ids read at once when the slot misses a card: this page's and those of the pages after it
# (the ring turns one id per page), so a process asks once per about 50 pages, not per page.
READ_AHEAD = 50


@dataclass(frozen=True, slots=True)
class TopCard(PromotionMarks):
    """What a Top listing's card needs (the card macro, card_key, card_context), copied from
    its row; the same attribute names as Listing's."""

    id: int
    seller_id: int
    title: str
    cover: str | None
    price: int
    currency: str
    year: int
    mileage_km: int
    city_id: int
    status: str
    is_dealer: bool
    bumped_at: datetime
    top_until: datetime | None
    highlight_until: datetime | None


CARD_COLUMNS = [getattr(Listing, field.name) for field in fields(TopCard)]
_kept: LRU[TopCard] = LRU(KEPT_CARDS)

# Which Top listings a search shows next: each search takes the next `slots` of the ring,
# so k Top listings share the slots in turn and each is shown equally often. Per process;
# with several processes each turns its own.
_turn = itertools.count()


def top_slot(filters: Filters, slots: int) -> list[TopCard]:
    """Up to `slots` running Top listings matching the search, in turn, for the marked slot
    above its results; a search no Top listing matches costs one shared-cache read."""
    if slots <= 0:
        return []
    ring = cache.remember(
        NAMESPACE, ("top", filters.values_key()), lambda: top_ids(filters), facts_seconds(), FACTS_BUDGET
    )
    if not ring:
        return []
    start = next(_turn) % len(ring)
    turned = ring[start:] + ring[:start]
    chosen = turned[:slots]
    cards = top_cards(chosen, turned[:READ_AHEAD], cache.seen_version(NAMESPACE))
    return [card for listing_id in chosen if (card := cards.get(listing_id)) is not None and card.is_top]


def top_ids(filters: Filters) -> list[int]:
    """Ids of the running Top listings that match the search, in order. `top_until > now`
    lets PostgreSQL read only the partial index ix_listings_top (running Top slots) and check
    their few rows (free text too: see text_condition)."""
    conditions = [Listing.top_until > utcnow(), *matching_conditions(filters, text_index=False)]
    return list(db.session.scalars(select(Listing.id).where(*conditions).order_by(Listing.id)))


def top_cards(chosen: list[int], coming: list[int], version: str | None) -> dict[int, TopCard]:
    """{id: card} of the `chosen` listings: those kept under search's current `version` as
    they are. When one is missing, the cards of every `coming` listing not kept yet are read
    by primary key (checking again that they are on sale) and kept under it, so the next
    pages of the rotation find theirs. With no version (shared facts off, the cache down)
    the chosen cards are read every time."""
    if version is None:
        return read_cards(chosen)
    found = {listing_id: card for listing_id in chosen if (card := _kept.get((version, listing_id)))}
    if len(found) < len(chosen):
        unread = [listing_id for listing_id in coming if _kept.get((version, listing_id)) is None]
        for card in read_cards(unread).values():
            _kept.put((version, card.id), card)
            if card.id in chosen:
                found[card.id] = card
    return found


def read_cards(listing_ids: list[int]) -> dict[int, TopCard]:
    query = select(*CARD_COLUMNS).where(Listing.id.in_(listing_ids), *on_sale_conditions())
    return {row.id: TopCard(*row) for row in db.session.execute(query)}
