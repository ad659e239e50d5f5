"""The columns copied into `listings` so search reads one table at a million rows: the title,
the search text, the region and the price in tenge. One place derives them, for a listing
saved through the site (`refresh_copies`) and for the benchmark generator alike.
"""

from __future__ import annotations

from sqlalchemy import or_, select, update

from app.extensions import db
from app.models import Brand, CarModel, City, Generation, Listing

# Fixed conversion rates for filtering and sorting across currencies (not for display:
# a price is always shown in the currency the seller chose). Refreshed by hand.
RATES_TO_KZT = {"KZT": 1, "USD": 500, "EUR": 540, "RUB": 5}
MAX_SEARCH_TEXT = 20000


def make_title(brand: Brand, model: CarModel, year: int) -> str:
    """ "Toyota Camry 2018"."""
    return f"{brand.name} {model.name} {year}"


def make_search_text(
    brand: Brand, model: CarModel, year: int, generation: Generation | None, description: str | None
) -> str:
    """The lower-cased words free-text search looks in: make, model, their Cyrillic aliases
    ("тойота камри" finds a Camry: folded in here, once, not translated per search), year,
    generation, description."""
    aliases = f"{brand.aliases or ''} {model.aliases or ''}".replace(",", " ")
    words = [brand.name, model.name, aliases.strip(), str(year), generation.name if generation else "", description]
    return " ".join(word for word in words if word).lower()[:MAX_SEARCH_TEXT]


def price_in_kzt(price: int, currency: str) -> int:
    return price * RATES_TO_KZT.get(currency, 1)


def refresh_copies(listing: Listing) -> None:
    """Recompute the copied columns from the row's own fields and its related rows."""
    brand = db.session.get_one(Brand, listing.brand_id)
    model = db.session.get_one(CarModel, listing.model_id)
    city = db.session.get_one(City, listing.city_id)
    generation = db.session.get(Generation, listing.generation_id) if listing.generation_id else None
    listing.title = make_title(brand, model, listing.year)
    listing.region_id = city.region_id
    listing.price_kzt = price_in_kzt(listing.price, listing.currency)
    listing.search_text = make_search_text(brand, model, listing.year, generation, listing.description)


REFRESH_BATCH = 2000


def refresh_search_texts(brand_ids: set[int], model_ids: set[int]) -> int:
    """Recompute the search text of every listing of these makes or models (after their
    names or aliases changed in the catalogue), in batches by id; returns how many. The
    caller commits."""
    if not brand_ids and not model_ids:
        return 0
    brands = {b.id: b for b in db.session.scalars(select(Brand))}
    models = {m.id: m for m in db.session.scalars(select(CarModel))}
    generations = {g.id: g for g in db.session.scalars(select(Generation))}
    which = or_(Listing.brand_id.in_(brand_ids or {0}), Listing.model_id.in_(model_ids or {0}))
    columns = (Listing.id, Listing.brand_id, Listing.model_id, Listing.year, Listing.generation_id, Listing.description)
    done, after = 0, 0
    while True:
        rows = db.session.execute(
            select(*columns).where(which, Listing.id > after).order_by(Listing.id).limit(REFRESH_BATCH)
        ).all()
        if not rows:
            return done
        texts = [
            {
                "id": row.id,
                "search_text": make_search_text(
                    brands[row.brand_id],
                    models[row.model_id],
                    row.year,
                    generations.get(row.generation_id),
                    row.description,
                ),
            }
            for row in rows
        ]
        db.session.execute(update(Listing), texts)
        done, after = done + len(rows), rows[-1].id
