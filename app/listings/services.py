"""Marketplace operations: plain functions that add and flush; the caller commits.

Search is built for a million rows: filters and sorts read only columns of `listings`
(copies such as `price_kzt`, `region_id`, `is_dealer`, `photo_count` are kept in step
here), pages are keyset pages ("after" = last sort value and id, so page 500 costs what
page 1 costs), and totals are never counted with an unbounded COUNT(*): exact when the
result fits one page, otherwise the planner's estimate (PostgreSQL) or a capped count.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any
from urllib.parse import parse_qs, urlencode

from flask import current_app, has_request_context, url_for
from flask_babel import format_decimal
from sqlalchemy import and_, delete, func, literal_column, or_, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import media
from app.catalog.choices import BODY_TYPES, CONDITIONS, CURRENCIES, DRIVES, FUELS, TRANSMISSIONS
from app.extensions import db
from app.models import (
    Brand,
    CarModel,
    City,
    Favorite,
    Generation,
    Listing,
    ListingPhoto,
    ListingView,
    PriceChange,
    Review,
    SavedSearch,
    User,
)
from app.models.listing import MAX_PHOTOS, SEARCHABLE_STATUSES
from app.models.user import utcnow
from app.notifications.services import notify

# Fixed conversion rates for filtering and sorting across currencies (not for display:
# a price is always shown in the currency the seller chose). Refreshed by hand.
RATES_TO_KZT = {"KZT": 1, "USD": 500, "EUR": 540, "RUB": 5}
PER_PAGE = 20
COUNT_CAP = 1000
MAX_INT = 2**31 - 1
MAX_QUERY_LENGTH = 200

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


# --- presentation helpers ------------------------------------------------------------


def format_price(price: int, currency: str) -> str:
    """ "12 500 000 ₸" — grouped digits in the page's locale and the currency sign."""
    return f"{format_decimal(price)} {CURRENCIES.get(currency, currency)}"


def path_for(endpoint: str, **values) -> str:
    """url_for that also works outside a request (CLI loaders, background work): a site path."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)


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
        "city": listing.city.name,
        "url": listing_url(listing.id),
        "thumb_url": thumb_url(listing),
        "status": listing.status,
    }


def format_km(value: int) -> str:
    """85 000 (grouped digits in the page's locale)."""
    return format_decimal(value)


# The catalogue changes only when `flask catalog load` runs: its names and select options
# are kept in memory for CATALOG_CACHE_SECONDS (0 under TESTING, where tests rebuild it).
_catalog_cache: dict[tuple, tuple[float, Any]] = {}


def catalog_cached(key: tuple, load):
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
    return catalog_cached(("cities",), lambda: dict(db.session.execute(select(City.id, City.name)).all()))


def city_name(city_id: int) -> str:
    return city_names().get(city_id, "")


# --- create and edit -----------------------------------------------------------------


def make_title(brand: Brand, model: CarModel, year: int) -> str:
    return f"{brand.name} {model.name} {year}"


def refresh_copies(listing: Listing) -> None:
    """Recompute the copied columns from the row's own fields and its related rows."""
    brand = db.session.get(Brand, listing.brand_id)
    model = db.session.get(CarModel, listing.model_id)
    city = db.session.get(City, listing.city_id)
    generation = db.session.get(Generation, listing.generation_id) if listing.generation_id else None
    listing.title = make_title(brand, model, listing.year)
    listing.region_id = city.region_id
    listing.price_kzt = listing.price * RATES_TO_KZT.get(listing.currency, 1)
    words = [brand.name, model.name, str(listing.year), generation.name if generation else "", listing.description]
    listing.search_text = " ".join(word for word in words if word).lower()[:20000]


def create_listing(seller: User, data: dict[str, Any]) -> Listing:
    """A new active listing by `seller`; `data` is validated form data. Alerts saved searches."""
    listing = Listing(seller_id=seller.id, is_dealer=seller.is_dealer, status="active")
    for name in EDITABLE_FIELDS:
        setattr(listing, name, data.get(name))
    listing.description = listing.description or ""
    refresh_copies(listing)
    db.session.add(listing)
    db.session.flush()
    alert_saved_searches(listing)
    return listing


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
            tell_favouriters(
                listing,
                "price_drop",
                text=f"{format_price(old_price, old_currency)} → {format_price(listing.price, listing.currency)}",
            )
    db.session.flush()


# Allowed moves: action -> (statuses it may start from, new status)
STATUS_ACTIONS = {
    "reserve": (("active",), "reserved"),
    "activate": (("reserved", "sold", "archived"), "active"),
    "sold": (("active", "reserved"), "sold"),
    "archive": (("active", "reserved", "sold"), "archived"),
    "delete": (("active", "reserved", "sold", "archived"), "removed"),
}


def change_status(listing: Listing, action: str) -> bool:
    """Move the listing by an owner's action; False when the move is not allowed from here.
    Deleting is soft (status "removed"); selling tells the people who saved it."""
    allowed = STATUS_ACTIONS.get(action)
    if allowed is None or listing.status not in allowed[0]:
        return False
    listing.status = allowed[1]
    if action == "activate":
        listing.bumped_at = utcnow()
    if action == "sold":
        tell_favouriters(listing, "sold", text=listing.title)
    db.session.flush()
    return True


def tell_favouriters(listing: Listing, kind: str, text: str) -> None:
    user_ids = db.session.scalars(select(Favorite.user_id).where(Favorite.listing_id == listing.id))
    payload = {"title": listing.title, "url": listing_url(listing.id), "text": text, "listing_id": listing.id}
    for user_id in user_ids:
        if user_id != listing.seller_id:
            notify(user_id, kind, payload)


# --- photos --------------------------------------------------------------------------


class PhotoLimit(ValueError):
    """The listing already has MAX_PHOTOS photos."""


def add_photo(listing: Listing, stream: IO[bytes]) -> ListingPhoto:
    """Store one picture (raises media.ImageRejected or PhotoLimit) at the end of the gallery."""
    count = db.session.scalar(select(func.count()).where(ListingPhoto.listing_id == listing.id)) or 0
    if count >= MAX_PHOTOS:
        raise PhotoLimit
    name = media.save_image(stream, "listings")
    position = db.session.scalar(select(func.max(ListingPhoto.position)).where(ListingPhoto.listing_id == listing.id))
    photo = ListingPhoto(listing_id=listing.id, name=name, position=(position or 0) + 1 if count else 0)
    db.session.add(photo)
    db.session.flush()
    refresh_cover(listing)
    return photo


def ordered_photos(listing: Listing) -> list[ListingPhoto]:
    query = select(ListingPhoto).where(ListingPhoto.listing_id == listing.id)
    return list(db.session.scalars(query.order_by(ListingPhoto.position, ListingPhoto.id)))


def refresh_cover(listing: Listing) -> None:
    photos = ordered_photos(listing)
    listing.cover = photos[0].name if photos else None
    listing.photo_count = len(photos)
    db.session.flush()


def delete_photo(listing: Listing, photo: ListingPhoto) -> None:
    """Remove a photo and its files."""
    name = photo.name
    db.session.delete(photo)
    db.session.flush()
    db.session.expire(listing, ["photos"])
    refresh_cover(listing)
    media.delete_image("listings", name)


def reorder_photos(listing: Listing, photo_ids: list[int]) -> bool:
    """Put the photos in this order (the first is the cover); False unless the ids are exactly
    this listing's photos."""
    photos = {photo.id: photo for photo in ordered_photos(listing)}
    if sorted(photo_ids) != sorted(photos):
        return False
    for position, photo_id in enumerate(photo_ids):
        photos[photo_id].position = position
    db.session.flush()
    db.session.expire(listing, ["photos"])
    refresh_cover(listing)
    return True


def photo_json(photo: ListingPhoto) -> dict:
    return {
        "id": photo.id,
        "thumb": media.image_url("listings", photo.name, "thumb"),
        "card": media.image_url("listings", photo.name, "card"),
    }


# --- search --------------------------------------------------------------------------

SORTS = {
    # name: (column, descending)
    "newest": (Listing.bumped_at, True),
    "price_asc": (Listing.price_kzt, False),
    "price_desc": (Listing.price_kzt, True),
    "year_desc": (Listing.year, True),
    "mileage_asc": (Listing.mileage_km, False),
}
INT_FILTERS = (
    "brand",
    "model",
    "generation",
    "region",
    "city",
    "year_from",
    "year_to",
    "price_from",
    "price_to",
    "mileage_max",
)
CHOICE_FILTERS = {
    "body": BODY_TYPES,
    "fuel": FUELS,
    "transmission": TRANSMISSIONS,
    "drive": DRIVES,
    "condition": CONDITIONS,
}


@dataclass
class Filters:
    """Search filters read from a query string; malformed values are dropped, never fatal."""

    values: dict[str, Any] = field(default_factory=dict)
    sort: str = "newest"
    after: tuple[Any, int] | None = None

    @classmethod
    def parse(cls, args) -> Filters:
        values: dict[str, Any] = {}
        for name in INT_FILTERS:
            number = to_int(args.get(name))
            if number is not None:
                values[name] = number
        for name, choices in CHOICE_FILTERS.items():
            value = args.get(name)
            if value in choices:
                values[name] = value
        query = " ".join((args.get("q") or "").split())[:MAX_QUERY_LENGTH]
        if query:
            values["q"] = query
        if args.get("photos") in ("1", "on", "y"):
            values["photos"] = "1"
        if args.get("seller") in ("dealer", "private"):
            values["seller"] = args.get("seller")
        sort = args.get("sort") if args.get("sort") in SORTS else "newest"
        return cls(values=values, sort=sort, after=parse_cursor(args.get("after"), sort))

    def query_args(self) -> dict[str, Any]:
        """The filters as URL arguments (no cursor)."""
        args = dict(self.values)
        if self.sort != "newest":
            args["sort"] = self.sort
        return args

    def query_string(self) -> str:
        return urlencode(sorted(self.query_args().items()))

    def __bool__(self) -> bool:
        return bool(self.values)


def to_int(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit() or len(value.strip()) > 10:
        return None
    number = int(value)
    return number if number <= MAX_INT else None


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
    column, _ = SORTS[sort]
    value = getattr(listing, column.key)
    return f"{value.isoformat() if isinstance(value, datetime) else value}~{listing.id}"


def escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filter_conditions(filters: Filters, dialect: str) -> list:
    """SQL conditions for the filters (no status condition)."""
    v = filters.values
    conditions = []
    for name, column in (
        ("brand", Listing.brand_id),
        ("model", Listing.model_id),
        ("generation", Listing.generation_id),
        ("region", Listing.region_id),
        ("city", Listing.city_id),
    ):
        if name in v:
            conditions.append(column == v[name])
    for name, column, op in (
        ("year_from", Listing.year, "ge"),
        ("year_to", Listing.year, "le"),
        ("price_from", Listing.price_kzt, "ge"),
        ("price_to", Listing.price_kzt, "le"),
        ("mileage_max", Listing.mileage_km, "le"),
    ):
        if name in v:
            conditions.append(column >= v[name] if op == "ge" else column <= v[name])
    for name in CHOICE_FILTERS:
        if name in v:
            conditions.append(getattr(Listing, name) == v[name])
    if v.get("photos"):
        conditions.append(Listing.photo_count > 0)
    if "seller" in v:
        conditions.append(Listing.is_dealer.is_(v["seller"] == "dealer"))
    if "q" in v:
        conditions.append(text_condition(v["q"], dialect))
    return conditions


def text_condition(query: str, dialect: str):
    """PostgreSQL: full text (GIN index) with websearch syntax; elsewhere every word as a
    substring (LIKE with %, _ and \\ escaped)."""
    if dialect == "postgresql":
        vector = literal_column("listings.search_vector")
        return vector.op("@@")(func.websearch_to_tsquery("simple", query))
    words = query.lower().split()[:8]
    return and_(*(Listing.search_text.like(f"%{escape_like(word)}%", escape="\\") for word in words))


@dataclass
class SearchPage:
    listings: list[Listing]
    next_after: str | None
    total: int
    # True: `total` is a lower bound (SQLite: COUNT_CAP) or PostgreSQL's estimate: "about"
    total_capped: bool


def search(filters: Filters, *, seller_id: int | None = None, per_page: int = PER_PAGE) -> SearchPage:
    """One keyset page of searchable listings matching `filters`. The total is exact when it
    fits one page, else PostgreSQL's estimate (SQLite: a count capped at COUNT_CAP)."""
    dialect = db.engine.dialect.name
    conditions = [Listing.status.in_(SEARCHABLE_STATUSES), *filter_conditions(filters, dialect)]
    if seller_id is not None:
        conditions.append(Listing.seller_id == seller_id)
    column, descending = SORTS[filters.sort]
    page_conditions = list(conditions)
    if filters.after is not None:
        key = tuple_(column, Listing.id)
        page_conditions.append(key < filters.after if descending else key > filters.after)
    order = (column.desc(), Listing.id.desc()) if descending else (column.asc(), Listing.id.asc())
    query = select(Listing).where(*page_conditions).order_by(*order).limit(per_page + 1)
    rows = list(db.session.scalars(query))
    next_after = make_cursor(rows[per_page - 1], filters.sort) if len(rows) > per_page else None
    if filters.after is None and next_after is None:
        return SearchPage(rows, None, len(rows), False)  # one page: the rows are the total
    if dialect == "postgresql":
        return SearchPage(rows[:per_page], next_after, estimate_rows(select(Listing.id).where(*conditions)), True)
    capped = select(Listing.id).where(*conditions).limit(COUNT_CAP + 1).subquery()
    total = db.session.scalar(select(func.count()).select_from(capped)) or 0
    return SearchPage(rows[:per_page], next_after, min(total, COUNT_CAP), total > COUNT_CAP)


def estimate_rows(query) -> int:
    """PostgreSQL's own estimate of how many rows a query returns (EXPLAIN, no execution),
    rounded to two significant digits: "about 19,000 cars" costs a fraction of a millisecond
    where counting them cost 50-80 ms at a million listings."""
    compiled = query.compile(dialect=db.engine.dialect, compile_kwargs={"render_postcompile": True})
    plan = db.session.connection().exec_driver_sql("EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params).scalar()
    rows = int(plan[0]["Plan"]["Plan Rows"])
    return round(rows, -max(0, len(str(rows)) - 2))


def matches(filters: Filters, listing: Listing) -> bool:
    """Whether a listing meets a saved search's filters (checked in Python for one new listing)."""
    v = filters.values
    pairs = {
        "brand": listing.brand_id,
        "model": listing.model_id,
        "generation": listing.generation_id,
        "region": listing.region_id,
        "city": listing.city_id,
    }
    if any(name in v and v[name] != value for name, value in pairs.items()):
        return False
    bounds = (
        ("year_from", listing.year, 1),
        ("year_to", listing.year, -1),
        ("price_from", listing.price_kzt, 1),
        ("price_to", listing.price_kzt, -1),
        ("mileage_max", listing.mileage_km, -1),
    )
    for name, value, sign in bounds:
        if name in v and (value - v[name]) * sign < 0:
            return False
    if any(name in v and getattr(listing, name) != v[name] for name in CHOICE_FILTERS):
        return False
    if v.get("photos") and not listing.photo_count:
        return False
    if "seller" in v and listing.is_dealer != (v["seller"] == "dealer"):
        return False
    return not ("q" in v and not all(word in listing.search_text for word in v["q"].lower().split()))


def card_context(listings: list[Listing], user) -> dict:
    """What cards need beyond the rows: the viewer's favourites and sellers' ratings."""
    ids = [listing.id for listing in listings]
    favourites = favourite_ids(user, ids)
    ratings = seller_ratings({listing.seller_id for listing in listings})
    return {"favourite_ids": favourites, "ratings": ratings}


# --- listing page --------------------------------------------------------------------


def visitor_key(user, address: str | None, agent: str | None) -> str:
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


def similar_listings(listing: Listing, limit: int = 6) -> list[Listing]:
    """Searchable listings of the same model (then make), nearest in price first."""
    found: list[Listing] = []
    for condition in (Listing.model_id == listing.model_id, Listing.brand_id == listing.brand_id):
        query = (
            select(Listing)
            .where(
                condition,
                Listing.status.in_(SEARCHABLE_STATUSES),
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
    query = select(Listing).where(Listing.seller_id == seller_id, Listing.status.in_(SEARCHABLE_STATUSES))
    if exclude is not None:
        query = query.where(Listing.id != exclude)
    query = query.order_by(Listing.bumped_at.desc(), Listing.id.desc()).limit(limit)
    return list(db.session.scalars(query.options(selectinload(Listing.city))))


def seller_ratings(seller_ids: set[int]) -> dict[int, tuple[float, int]]:
    """{seller id: (average rating, number of reviews)} for sellers with reviews."""
    if not seller_ids:
        return {}
    query = (
        select(Review.seller_id, func.avg(Review.rating), func.count())
        .where(Review.seller_id.in_(seller_ids))
        .group_by(Review.seller_id)
    )
    return {seller_id: (round(float(avg), 1), count) for seller_id, avg, count in db.session.execute(query)}


# --- favourites ----------------------------------------------------------------------


def favourite_ids(user, listing_ids: list[int]) -> set[int]:
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


def user_favourites(user: User) -> list[Listing]:
    query = (
        select(Listing)
        .join(Favorite, Favorite.listing_id == Listing.id)
        .where(Favorite.user_id == user.id, Listing.status != "removed", Listing.status != "archived")
        .order_by(Favorite.created_at.desc())
        .options(selectinload(Listing.city))
    )
    return list(db.session.scalars(query))


# --- saved searches ------------------------------------------------------------------

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


def alert_saved_searches(listing: Listing) -> int:
    """Notify owners of saved searches the new listing matches; only searches naming its
    make or no make are read. Returns how many were told."""
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


class MultiArgs(dict):
    """A stored query string read like request.args (first value of each name)."""

    def __init__(self, query: str):
        super().__init__({key: values[0] for key, values in parse_qs(query).items()})


def delete_saved_search(saved: SavedSearch) -> None:
    db.session.execute(delete(SavedSearch).where(SavedSearch.id == saved.id))
