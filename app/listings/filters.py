"""Search filters: read from a query string, turned into SQL for search and checked in
Python for one new listing (saved-search alerts) — both from the one table `RULES`.

A malformed value is dropped, never fatal: a filter link that no longer makes sense shows
more cars, not an error.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode

from sqlalchemy import ColumnClause, and_, func, literal_column

from app.catalog.choices import BODY_TYPES, CONDITIONS, DRIVES, FUELS, TRANSMISSIONS
from app.inputs import parse_int
from app.models import Listing

MAX_INT = 2**31 - 1
MAX_QUERY_LENGTH = 200

SORTS = {
    # name: (column, descending)
    "newest": (Listing.bumped_at, True),
    "price_asc": (Listing.price_kzt, False),
    "price_desc": (Listing.price_kzt, True),
    "year_desc": (Listing.year, True),
    "mileage_asc": (Listing.mileage_km, False),
}


def to_int(value: str | None) -> int | None:
    """A non-negative number in ASCII digits that fits PostgreSQL's integer, or None."""
    return parse_int(value, maximum=MAX_INT)


def one_of(*choices: str) -> Callable[[str | None], str | None]:
    return lambda value: value if value in choices else None


def free_text(value: str | None) -> str | None:
    """Whitespace collapsed, control characters (NUL: PostgreSQL refuses it) dropped, cut to
    MAX_QUERY_LENGTH; None when empty."""
    printable = "".join(ch if ch.isprintable() else " " for ch in value or "")
    return " ".join(printable.split())[:MAX_QUERY_LENGTH] or None


def flag(value: str | None) -> str | None:
    return "1" if value in ("1", "on", "y") else None


def escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def text_condition(query: str, dialect: str, indexed: bool = True):
    """PostgreSQL: full text (GIN index) with websearch syntax; elsewhere every word as a
    substring (LIKE with %, _ and \\ escaped). `indexed=False` writes the PostgreSQL test so
    the GIN index cannot answer it: for a query over a few rows (the Top slot), checking
    them is cheaper than reading the index for every match in the table."""
    if dialect == "postgresql":
        vector: ColumnClause[Any] = literal_column(
            "listings.search_vector" if indexed else "(listings.search_vector || ''::tsvector)"
        )
        return vector.op("@@")(func.websearch_to_tsquery("simple", query))
    words = query.lower().split()[:8]
    return and_(*(Listing.search_text.like(f"%{escape_like(word)}%", escape="\\") for word in words))


def text_matches(search_text: str, query: str) -> bool:
    return all(word in search_text for word in query.lower().split())


@dataclass(frozen=True)
class Test:
    """How a filter compares a listing's column with the wanted value, in SQL and in Python."""

    sql: Callable[[Any, Any, str], Any]  # (column, wanted, dialect) -> SQL condition
    python: Callable[[Any, Any], bool]  # (listing's value, wanted) -> bool


EQUAL = Test(lambda column, wanted, _: column == wanted, operator.eq)
AT_LEAST = Test(lambda column, wanted, _: column >= wanted, operator.ge)
AT_MOST = Test(lambda column, wanted, _: column <= wanted, operator.le)
IS = Test(lambda column, wanted, _: column.is_(wanted), operator.eq)
ABOVE = Test(lambda column, wanted, _: column > wanted, lambda value, wanted: bool(value) and value > wanted)
WORDS = Test(lambda _, query, dialect: text_condition(query, dialect), text_matches)


@dataclass(frozen=True)
class Rule:
    """One filter: its query-string name, how the raw value is read, the listing column it
    tests, the test, and what the column is compared with (by default the value itself)."""

    name: str
    parse: Callable[[str | None], Any]
    column: Any
    test: Test
    wanted: Callable[[Any], Any] = lambda value: value


RULES: tuple[Rule, ...] = (
    Rule("brand", to_int, Listing.brand_id, EQUAL),
    Rule("model", to_int, Listing.model_id, EQUAL),
    Rule("generation", to_int, Listing.generation_id, EQUAL),
    Rule("region", to_int, Listing.region_id, EQUAL),
    Rule("city", to_int, Listing.city_id, EQUAL),
    Rule("year_from", to_int, Listing.year, AT_LEAST),
    Rule("year_to", to_int, Listing.year, AT_MOST),
    Rule("price_from", to_int, Listing.price_kzt, AT_LEAST),
    Rule("price_to", to_int, Listing.price_kzt, AT_MOST),
    Rule("mileage_max", to_int, Listing.mileage_km, AT_MOST),
    Rule("body", one_of(*BODY_TYPES), Listing.body, EQUAL),
    Rule("fuel", one_of(*FUELS), Listing.fuel, EQUAL),
    Rule("transmission", one_of(*TRANSMISSIONS), Listing.transmission, EQUAL),
    Rule("drive", one_of(*DRIVES), Listing.drive, EQUAL),
    Rule("condition", one_of(*CONDITIONS), Listing.condition, EQUAL),
    Rule("q", free_text, Listing.search_text, WORDS),
    Rule("photos", flag, Listing.photo_count, ABOVE, wanted=lambda _: 0),
    Rule("seller", one_of("dealer", "private"), Listing.is_dealer, IS, wanted=lambda value: value == "dealer"),
    # "Good prices only": the stored deal rating (app/listings/deals.py), copied on listings.
    Rule("deal", one_of("good"), Listing.deal_band, EQUAL),
)


@dataclass
class Filters:
    """Search filters read from a query string; malformed values are dropped, never fatal."""

    values: dict[str, Any] = field(default_factory=dict)
    sort: str = "newest"
    after: tuple[Any, int] | None = None
    # The page that ends just before this key (a "previous page" link); ignored with `after`.
    before: tuple[Any, int] | None = None

    @classmethod
    def parse(cls, args: Mapping[str, str]) -> Filters:
        values = {rule.name: value for rule in RULES if (value := rule.parse(args.get(rule.name))) is not None}
        sort = args.get("sort")
        sort = sort if sort in SORTS else "newest"
        after = parse_cursor(args.get("after"), sort)
        before = None if after else parse_cursor(args.get("before"), sort)
        return cls(values=values, sort=sort, after=after, before=before)

    def query_args(self) -> dict[str, Any]:
        """The filters as URL arguments (no cursor)."""
        args = dict(self.values)
        if self.sort != "newest":
            args["sort"] = self.sort
        return args

    def query_string(self) -> str:
        return urlencode(sorted(self.query_args().items()))

    def values_key(self) -> str:
        """The filters alone (no sort, no cursor): what a search's result set depends on."""
        return urlencode(sorted(self.values.items()))

    def __bool__(self) -> bool:
        return bool(self.values)

    @property
    def active_count(self) -> int:
        """How many filters are set (the "Filters (n)" button)."""
        return len(self.values)


class MultiArgs(dict):
    """A stored query string read like request.args (first value of each name)."""

    def __init__(self, query: str):
        super().__init__({key: values[0] for key, values in parse_qs(query).items()})


def parse_cursor(value: str | None, sort: str) -> tuple[Any, int] | None:
    """ "<sort value>~<id>" from the previous page's last card; anything else is ignored."""
    if not value or "~" not in value or len(value) > 60:
        return None
    raw, _, raw_id = value.rpartition("~")
    listing_id = to_int(raw_id)
    if listing_id is None:
        return None
    if sort == "newest":
        try:
            return datetime.fromisoformat(raw), listing_id
        except ValueError:
            return None
    number = to_int(raw)
    return (number, listing_id) if number is not None else None


def make_cursor(listing: Listing, sort: str) -> str:
    """The "after" value that continues a search past `listing` (or "before": up to it)."""
    column, _ = SORTS[sort]
    return cursor_text(getattr(listing, column.key), listing.id)


def cursor_text(value: Any, listing_id: int) -> str:
    return f"{value.isoformat() if isinstance(value, datetime) else value}~{listing_id}"


def filter_conditions(filters: Filters, dialect: str, *, text_index: bool = True) -> list:
    """SQL conditions for the filters (no status condition); `text_index=False`: free text
    without its index (see text_condition)."""
    return [
        text_condition(filters.values[rule.name], dialect, indexed=False)
        if rule.test is WORDS and not text_index
        else rule.test.sql(rule.column, rule.wanted(filters.values[rule.name]), dialect)
        for rule in RULES
        if rule.name in filters.values
    ]


def matches(filters: Filters, listing: Listing) -> bool:
    """Whether a listing meets the filters, checked in Python (one new listing against a
    saved search) by the same rules as `filter_conditions`."""
    return all(
        rule.test.python(getattr(listing, rule.column.key), rule.wanted(filters.values[rule.name]))
        for rule in RULES
        if rule.name in filters.values
    )
