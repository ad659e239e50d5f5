"""`flask listings expire`: the lifecycle's periodic work (app/listings/lifecycle.py).

`flask listings generate N`: many realistic-looking listings fast, for benchmarks.

On PostgreSQL rows go in with COPY (about 1M rows a minute on 2 cores); elsewhere with
batched executemany inserts. Needs the catalogue (`flask catalog load`) and at least one
user; sellers are taken from existing users (or created: bench_seller_0..N). Titles, search
text and prices in tenge come from the same code as a listing saved through the site
(app/listings/copies.py).
"""

from __future__ import annotations

import io
import random
from datetime import timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import insert, select

from app.auth import services as accounts
from app.core.time import utcnow
from app.extensions import db
from app.listings import bp
from app.listings.copies import make_search_text, make_title, price_in_kzt
from app.listings.lifecycle import run_lifecycle
from app.models import Brand, CarModel, City, Generation, Listing, User

WORDS = [
    "one owner",
    "full service history",
    "garage kept",
    "new tyres",
    "no accidents",
    "customs cleared",
    "winter tyres included",
    "leather seats",
    "panoramic roof",
    "navigation",
    "rear camera",
    "heated seats",
    "original paint",
    "serviced at the dealer",
    "ready to drive",
    "exchange possible",
    "urgent sale",
]
BODIES = ["sedan", "suv", "crossover", "hatchback", "wagon", "minivan", "pickup", "coupe", "liftback"]
FUELS = ["petrol"] * 6 + ["diesel", "diesel", "hybrid", "gas", "electric"]
TRANSMISSIONS = ["automatic"] * 4 + ["manual", "manual", "cvt", "robot"]
DRIVES = ["fwd", "fwd", "awd", "rwd"]
COLOURS = ["white", "black", "silver", "grey", "blue", "red", "brown", "beige", "green"]
COLUMNS = [
    "seller_id",
    "brand_id",
    "model_id",
    "generation_id",
    "city_id",
    "region_id",
    "title",
    "year",
    "mileage_km",
    "price",
    "currency",
    "price_kzt",
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
    "search_text",
    "status",
    "is_dealer",
    "cover",
    "photo_count",
    "views",
    "favorites_count",
    "created_at",
    "updated_at",
    "bumped_at",
]


def catalogue():
    """The catalogue rows the generator draws from (a few thousand: kept in memory)."""
    models = list(db.session.scalars(select(CarModel)))
    brands = {brand.id: brand for brand in db.session.scalars(select(Brand))}
    generations: dict[int, list[Generation]] = {}
    for generation in db.session.scalars(select(Generation)):
        generations.setdefault(generation.model_id, []).append(generation)
    cities = db.session.execute(select(City.id, City.region_id)).all()
    return models, brands, generations, cities


def fake_rows(count: int, sellers: list[tuple[int, bool]], seed: int = 1):
    """Yield `count` listing rows as dicts of COLUMNS."""
    rng = random.Random(seed)
    models, brands, generations, cities = catalogue()
    if not models or not cities:
        raise click.ClickException("the catalogue is empty: run `flask catalog load` first")
    now = utcnow()
    this_year = now.year
    for _ in range(count):
        model = rng.choice(models)
        brand = brands[model.brand_id]
        gens = generations.get(model.id) or []
        generation = rng.choice(gens) if gens else None
        if generation is not None:
            year = rng.randint(generation.year_from, min(generation.year_to or this_year, this_year))
        else:
            year = rng.randint(1995, this_year)
        age = this_year - year
        mileage = max(0, int(rng.gauss(age * 17000, 8000))) if age else rng.randint(0, 3000)
        price = max(300_000, int(rng.lognormvariate(15.9, 0.6) * (0.93**age)) // 10_000 * 10_000)
        city_id, region_id = rng.choice(cities)
        seller_id, is_dealer = rng.choice(sellers)
        bumped = now - timedelta(seconds=rng.randint(0, 90 * 86400))
        description = ", ".join(rng.sample(WORDS, 4)).capitalize() + "."
        status = "active" if rng.random() < 0.9 else rng.choice(["sold", "archived", "reserved", "removed"])
        yield {
            "seller_id": seller_id, "brand_id": brand.id, "model_id": model.id,
            "generation_id": generation.id if generation else None, "city_id": city_id, "region_id": region_id,
            "title": make_title(brand, model, year), "year": year, "mileage_km": mileage,
            "price": price, "currency": "KZT", "price_kzt": price_in_kzt(price, "KZT"),
            "body": rng.choice(BODIES), "fuel": rng.choice(FUELS), "transmission": rng.choice(TRANSMISSIONS),
            "drive": rng.choice(DRIVES), "colour": rng.choice(COLOURS), "steering": "left", "condition": "used",
            "engine_volume_l": round(rng.uniform(1.2, 4.0), 1), "power_hp": rng.randint(90, 350), "vin": None,
            "description": description,
            "search_text": make_search_text(brand, model, year, generation, description), "status": status,
            "is_dealer": is_dealer, "cover": None, "photo_count": 0, "views": rng.randint(0, 500),
            "favorites_count": 0, "created_at": bumped, "updated_at": bumped, "bumped_at": bumped,
        }  # fmt: skip


def copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def bulk_insert(count: int, sellers: list[tuple[int, bool]], batch: int = 50_000, seed: int = 1) -> int:
    """Insert `count` generated listings; COPY on PostgreSQL, executemany elsewhere."""
    rows = fake_rows(count, sellers, seed)
    written = 0
    if db.engine.dialect.name == "postgresql":
        connection = db.session.connection().connection.driver_connection
        while written < count:
            buffer = io.StringIO()
            n = 0
            for row in rows:
                buffer.write("\t".join(copy_value(row[c]) for c in COLUMNS) + "\n")
                n += 1
                if n >= batch:
                    break
            if not n:
                break
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.copy_expert(f"COPY listings ({', '.join(COLUMNS)}) FROM STDIN", buffer)
            written += n
        return written
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= 5000:
            db.session.execute(insert(Listing), chunk)
            written += len(chunk)
            chunk = []
    if chunk:
        db.session.execute(insert(Listing), chunk)
        written += len(chunk)
    return written


def bench_sellers(n: int = 200) -> list[tuple[int, bool]]:
    """Existing users as sellers, topped up with bench_seller_* accounts (every tenth a dealer)."""
    users = db.session.execute(select(User.id, User.role)).all()
    if len(users) < n:
        for i in range(len(users), n):
            role = "dealer" if i % 10 == 0 else "user"
            name = f"bench_seller_{i}"
            if accounts.find_by_login(name) is None:
                accounts.create_user(name, f"{name}@bench.example", "bench-password-1", role=role)
        db.session.flush()
        users = db.session.execute(select(User.id, User.role)).all()
    return [(uid, role == "dealer") for uid, role in users]


@bp.cli.command("generate")
@click.argument("count", type=click.IntRange(1, 10_000_000))
@click.option("--seed", default=1, help="Random seed (the same seed gives the same rows).")
@click.option("--sellers", default=200, help="At least this many sellers (bench_seller_* accounts are added).")
@with_appcontext
def generate_command(count: int, seed: int, sellers: int):
    """Write COUNT generated listings (for benchmarks), then ANALYZE on PostgreSQL."""
    sellers = bench_sellers(sellers)
    written = bulk_insert(count, sellers, seed=seed)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE listings")
            connection.commit()
    click.echo(f"wrote {written} listings")


@bp.cli.command("expire")
@with_appcontext
def expire_command():
    """Tell owners of listings about to expire, take expired listings out of search and
    forget finished Top slots. Safe to run any time and twice (the job scheduler runs it)."""
    done = run_lifecycle()
    db.session.commit()
    click.echo(
        f"{done['noticed']} owners told of an expiry, {done['expired']} listings expired, "
        f"{done['promotions_ended']} Top slots ended"
    )
