"""Read-only queries over the catalogue, shared by the JSON endpoints and other features.

Ordering is the same everywhere, so a select filled by catalog.js and one rendered by a
form on the server list the same options in the same order:

- makes: popular ones first, then the rest, each group alphabetically;
- models, regions and cities: alphabetically;
- generations: newest first (by first year of production).

Each function refuses nothing: an unknown or out-of-range id (anything that is not a
positive 32-bit integer, e.g. a huge number from a URL) gives ``None`` from ``get_*`` and
an empty list from the ``*_of`` functions, never a database error; the routes turn ``None``
into a 404.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app
from sqlalchemy import select

from app.core import cache
from app.extensions import db
from app.i18n.locale import current_language
from app.models import Brand, CarModel, City, Generation, Region

MAX_ID = 2**31 - 1  # ids are 32-bit integers on every backend
CACHE_NAMESPACE = "catalog"  # invalidated by the loader when it changes a row
# New cached values of one kind (models of a make, a filter form...) per CACHE_CATALOG_SECONDS:
# ids and filters come from URLs, so made-up ones must not fill the shared cache.
CACHE_BUDGET = 2000
T = TypeVar("T")


def cached(key: tuple[Hashable, ...], load: Callable[[], T]) -> T:
    """`load()` computed from the catalogue (select options, city names, the filter form),
    shared by every process for CACHE_CATALOG_SECONDS or until `flask catalog load` changes
    a row. `key` names the kind of value first and holds the language when it has text."""
    timeout = current_app.config["CACHE_CATALOG_SECONDS"]
    return cache.remember(CACHE_NAMESPACE, key, load, timeout, budget=CACHE_BUDGET)


def valid_id(value: object) -> bool:
    """True for an int that can be a row id (SQLite and PostgreSQL reject larger numbers loudly)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def list_brands() -> list[Brand]:
    """Every make, popular ones first, then by name."""
    return list(db.session.scalars(select(Brand).order_by(Brand.popular.desc(), Brand.name)))


def popular_brands() -> list[Brand]:
    """The makes marked popular (for the home page and the top of selects), by name."""
    return list(db.session.scalars(select(Brand).where(Brand.popular.is_(True)).order_by(Brand.name)))


def get_brand(brand_id: int | None) -> Brand | None:
    """The make with this id, or None."""
    return db.session.get(Brand, brand_id) if valid_id(brand_id) else None


def get_model(model_id: int | None) -> CarModel | None:
    """The model with this id, or None."""
    return db.session.get(CarModel, model_id) if valid_id(model_id) else None


def get_region(region_id: int | None) -> Region | None:
    """The region with this id, or None."""
    return db.session.get(Region, region_id) if valid_id(region_id) else None


def models_of(brand_id: int | None) -> list[CarModel]:
    """The models of one make, by name."""
    if not valid_id(brand_id):
        return []
    return list(db.session.scalars(select(CarModel).where(CarModel.brand_id == brand_id).order_by(CarModel.name)))


def generations_of(model_id: int | None) -> list[Generation]:
    """The generations of one model, newest first."""
    if not valid_id(model_id):
        return []
    query = (
        select(Generation).where(Generation.model_id == model_id).order_by(Generation.year_from.desc(), Generation.name)
    )
    return list(db.session.scalars(query))


def list_regions() -> list[Region]:
    """Every region, by its name in the page's language."""
    return by_local_name(db.session.scalars(select(Region)))


def cities_of(region_id: int | None) -> list[City]:
    """The cities of one region, by their names in the page's language."""
    if not valid_id(region_id):
        return []
    return by_local_name(db.session.scalars(select(City).where(City.region_id == region_id)))


# Each language's alphabet: code point order would put the Kazakh letters (ә, ғ, қ, ң, ө, ұ, ү,
# һ, і) and the Russian ё after я, so «Ақмола облысы» would follow «Атырау облысы».
ALPHABETS = {
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "kk": "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя",
}


def collation_key(text: str, language: str) -> list[int]:
    """Sort key in the language's alphabetical order; other characters follow, by code point."""
    alphabet = ALPHABETS.get(language, "")
    return [alphabet.index(char) if char in alphabet else len(alphabet) + ord(char) for char in text.casefold()]


def by_local_name(places) -> list:
    """Regions or cities sorted as a reader of the page's language expects (a few dozen rows)."""
    language = current_language()
    return sorted(places, key=lambda place: collation_key(place.local_name(language), language))


# --- WTForms choices: (id, label) pairs in the same order as the JSON -----------------


def brand_choices() -> list[tuple[int, str]]:
    """Makes as select choices, popular first."""
    return [(brand.id, brand.name) for brand in list_brands()]


def model_choices(brand_id: int | None) -> list[tuple[int, str]]:
    """Models of a make as select choices; empty without a make."""
    return [(model.id, model.name) for model in models_of(brand_id)] if brand_id else []


def generation_choices(model_id: int | None) -> list[tuple[int, str]]:
    """Generations of a model as select choices, labelled with their years; empty without a model."""
    return [(gen.id, gen.label) for gen in generations_of(model_id)] if model_id else []


def region_choices() -> list[tuple[int, str]]:
    """Regions as select choices."""
    language = current_language()
    return [(region.id, region.local_name(language)) for region in list_regions()]


def city_choices(region_id: int | None) -> list[tuple[int, str]]:
    """Cities of a region as select choices; empty without a region."""
    language = current_language()
    return [(city.id, city.local_name(language)) for city in cities_of(region_id)] if region_id else []
