"""Finding listings, built for a million rows.

Filters and sorts read only columns of `listings` (see copies.py), pages are keyset pages
("after" = last sort value and id, so page 500 costs what page 1 costs), and totals are never
counted with an unbounded COUNT(*): exact when the result fits one page, otherwise the
planner's estimate (PostgreSQL) or a capped count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import selectinload

from app.core import cache
from app.core.time import utcnow
from app.extensions import db
from app.listings.deals import deal_ratings
from app.listings.favorites import favourite_ids
from app.listings.filters import SORTS, Filters, cursor_text, filter_conditions, make_cursor
from app.listings.freshness import NAMESPACE
from app.models import Listing, Review, User
from app.models.listing import SEARCHABLE_STATUSES

PER_PAGE = 20
COUNT_CAP = 1000
FACTS_BUDGET = 2000  # new filter sets remembered per period: made-up URLs cannot fill Redis


# While a search has at most this many pages, every key is read (a bounded, index-ordered
# query) so the total is exact and each page gets a number; past it, previous/next only.
NUMBERED_PAGES = 10


@dataclass
class SearchPage:
    listings: list[Listing]
    next_after: str | None
    total: int
    # True: `total` is a lower bound (SQLite: COUNT_CAP) or PostgreSQL's estimate: "about"
    total_capped: bool
    prev_before: str | None = None  # "before" cursor of the previous page; None on the first
    # Numbered pages (only when the total is exact and small): each page's "after" cursor
    # (None for page 1), and this page's number (None when it does not start on a page edge).
    pages: list[str | None] = field(default_factory=list)
    number: int | None = None


def seller_not_banned():
    """Listings whose seller is not banned now. The banned set is small (an index on
    users.banned_until), so PostgreSQL reads it once as a hashed subplan and the search keeps
    its index path; a ban that runs out brings the cars back by itself."""
    return Listing.seller_id.not_in(select(User.id).where(User.banned_until > utcnow()))


def on_sale_conditions() -> list:
    """What every public list of cars shows: searchable statuses of sellers not banned."""
    return [Listing.status.in_(SEARCHABLE_STATUSES), seller_not_banned()]


def matching_conditions(filters: Filters, seller_id: int | None = None, *, text_index: bool = True) -> list:
    """SQL conditions of a search: on sale, sellers not banned, the filters, one seller."""
    dialect = db.engine.dialect.name
    conditions = [*on_sale_conditions(), *filter_conditions(filters, dialect, text_index=text_index)]
    if seller_id is not None:
        conditions.append(Listing.seller_id == seller_id)
    return conditions


def search(filters: Filters, *, seller_id: int | None = None, per_page: int = PER_PAGE) -> SearchPage:
    """One keyset page of searchable listings matching `filters`, read forwards after
    `filters.after` or backwards before `filters.before`. The total is exact up to
    NUMBERED_PAGES pages (which then get numbers), else PostgreSQL's estimate (SQLite: a
    count capped at COUNT_CAP)."""
    conditions = matching_conditions(filters, seller_id)
    column, descending = SORTS[filters.sort]
    key = tuple_(column, Listing.id)
    backwards = filters.before is not None
    page_conditions = list(conditions)
    if filters.after is not None:
        page_conditions.append(key < filters.after if descending else key > filters.after)
    if backwards:
        page_conditions.append(key > filters.before if descending else key < filters.before)
    read_descending = descending != backwards  # a page before the cursor is read in reverse
    order = (column.desc(), Listing.id.desc()) if read_descending else (column.asc(), Listing.id.asc())
    rows = list(db.session.scalars(select(Listing).where(*page_conditions).order_by(*order).limit(per_page + 1)))
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    has_prev = more if backwards else filters.after is not None
    has_next = (backwards and bool(rows)) or (not backwards and more)
    next_after = make_cursor(rows[-1], filters.sort) if has_next else None
    prev_before = make_cursor(rows[0], filters.sort) if has_prev and rows else None
    if not has_prev and not has_next:
        return SearchPage(rows, None, len(rows), False)  # one page: the rows are the total
    keys = all_keys(conditions, column, descending, NUMBERED_PAGES * per_page)
    if keys is None:
        total, capped = remembered_total(filters, seller_id, conditions)
        return SearchPage(rows, next_after, total, capped, prev_before)
    pages = [None] + [cursor_text(*keys[n * per_page - 1]) for n in range(1, -(-len(keys) // per_page))]
    first = (getattr(rows[0], column.key), rows[0].id) if rows else None
    index = next((i for i, k in enumerate(keys) if tuple(k) == first), None)
    number = index // per_page + 1 if index is not None and index % per_page == 0 else None
    return SearchPage(rows, next_after, len(keys), False, prev_before, pages, number)


def facts_seconds() -> int:
    return current_app.config["CACHE_SEARCH_FACTS_SECONDS"]


def all_keys(conditions: list, column, descending: bool, limit: int) -> list[tuple] | None:
    """Every (sort value, id) of the result in order, or None when there are more than `limit`."""
    order = (column.desc(), Listing.id.desc()) if descending else (column.asc(), Listing.id.asc())
    keys = db.session.execute(select(column, Listing.id).where(*conditions).order_by(*order).limit(limit + 1)).all()
    return None if len(keys) > limit else [tuple(k) for k in keys]


def count(filters: Filters, *, seller_id: int | None = None) -> tuple[int, bool]:
    """How many listings match (the live count on the filter panel's button): exact up to
    NUMBERED_PAGES pages, as the search page says, else (estimate or capped count, True)."""
    conditions = matching_conditions(filters, seller_id)
    limit = NUMBERED_PAGES * PER_PAGE
    ids = db.session.scalars(select(Listing.id).where(*conditions).limit(limit + 1)).all()
    return (len(ids), False) if len(ids) <= limit else remembered_total(filters, seller_id, conditions)


def remembered_total(filters: Filters, seller_id: int | None, conditions: list) -> tuple[int, bool]:
    """`estimated_total`, shared for CACHE_SEARCH_FACTS_SECONDS per filter set: "about 19,000
    cars" need not be worked out again for every page and sort of the same search (it cost a
    compiled EXPLAIN each time)."""
    key = ("total", filters.values_key(), seller_id)
    return cache.remember(NAMESPACE, key, lambda: estimated_total(conditions), facts_seconds(), FACTS_BUDGET)


def estimated_total(conditions: list) -> tuple[int, bool]:
    """(PostgreSQL's estimate, True); SQLite: (a count capped at COUNT_CAP, whether capped)."""
    if db.engine.dialect.name == "postgresql":
        return estimate_rows(select(Listing.id).where(*conditions)), True
    capped = select(Listing.id).where(*conditions).limit(COUNT_CAP + 1).subquery()
    total = db.session.scalar(select(func.count()).select_from(capped)) or 0
    return min(total, COUNT_CAP), total > COUNT_CAP


def estimate_rows(query) -> int:
    """PostgreSQL's own estimate of how many rows a query returns (EXPLAIN, no execution),
    rounded to two significant digits: "about 19,000 cars" costs a fraction of a millisecond
    where counting them cost 50-80 ms at a million listings."""
    compiled = query.compile(dialect=db.engine.dialect, compile_kwargs={"render_postcompile": True})
    explain = "EXPLAIN (FORMAT JSON) " + str(compiled)
    plan = db.session.connection().exec_driver_sql(explain, compiled.params).scalar_one()
    rows = int(plan[0]["Plan"]["Plan Rows"])
    return round(rows, -max(0, len(str(rows)) - 2))


def card_context(listings: list[Listing], user) -> dict:
    """What cards need beyond the rows: the viewer's favourites, sellers' ratings and the
    cars' deal ratings (one primary-key lookup each)."""
    ids = [listing.id for listing in listings]
    favourites = favourite_ids(user, ids)
    ratings = seller_ratings({listing.seller_id for listing in listings})
    return {"favourite_ids": favourites, "ratings": ratings, "deals": deal_ratings(listings)}


def similar_listings(listing: Listing, limit: int = 6) -> list[Listing]:
    """Searchable listings of the same model (then make), nearest in price first."""
    found: list[Listing] = []
    for condition in (Listing.model_id == listing.model_id, Listing.brand_id == listing.brand_id):
        query = (
            select(Listing)
            .where(
                condition,
                *on_sale_conditions(),
                Listing.id.not_in([listing.id, *(item.id for item in found)]),
            )
            .order_by(func.abs(Listing.price_kzt - listing.price_kzt), Listing.id.desc())
            .limit(limit - len(found))
            .options(selectinload(Listing.city))
        )
        found.extend(db.session.scalars(query))
        if len(found) >= limit:
            break
    return found


def seller_listings(seller_id: int, exclude: int | None = None, limit: int = 4) -> list[Listing]:
    """A seller's newest searchable listings (not `exclude`)."""
    query = select(Listing).where(Listing.seller_id == seller_id, *on_sale_conditions())
    if exclude is not None:
        query = query.where(Listing.id != exclude)
    query = query.order_by(Listing.bumped_at.desc(), Listing.id.desc()).limit(limit)
    return list(db.session.scalars(query.options(selectinload(Listing.city))))


def seller_ratings(seller_ids: set[int]) -> dict[int, tuple[float, int]]:
    """{seller id: (average rating, number of reviews)} for sellers with reviews (those a
    moderator removed do not count)."""
    if not seller_ids:
        return {}
    query = (
        select(Review.seller_id, func.avg(Review.rating), func.count())
        .where(Review.seller_id.in_(seller_ids), Review.removed_at.is_(None))
        .group_by(Review.seller_id)
    )
    return {seller_id: (round(float(avg), 1), count) for seller_id, avg, count in db.session.execute(query)}
