"""Deal rating: is a car's price good, fair or high against similar cars on sale?

Similar ("comparable") cars are the other active listings of the same model and generation,
one year either side, with mileage in the same band (MILEAGE_BANDS). A listing with at least
MIN_COMPARABLES of them is rated against the median price (in tenge) of its group — itself
and its comparables: at most GOOD_AT of the median is a good price, at least HIGH_AT a high
one, anything between fair.

The rating is computed by scheduled work, never per request (`rate_deals()`, also
`flask listings rate-deals`): on PostgreSQL in one set-based statement (percentile_cont per
group, the upsert into `deal_ratings`, and the copy in `listings.deal_band` that the "good
prices only" filter reads); elsewhere (SQLite, development) by the portable path in Python,
which gives the same answers. Pages read the stored rows: one primary-key lookup for the 20
cards of a search page.
"""

from __future__ import annotations

import statistics
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

import click
from flask.cli import with_appcontext
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, text, update

from app.core.time import utcnow
from app.extensions import db
from app.listings import bp
from app.listings.freshness import search_changed
from app.models import DealRating, Listing

# Upper bounds (exclusive) of the mileage bands, in km; the last band is open.
MILEAGE_BANDS = (30_000, 60_000, 100_000, 150_000, 200_000, 300_000)
MIN_COMPARABLES = 5
GOOD_AT = 0.90
HIGH_AT = 1.10
RATED_STATUS = "active"
LABELS = {"good": _l("Good price"), "fair": _l("Fair price"), "high": _l("High price")}


def mileage_band(km: int) -> int:
    return bisect_right(MILEAGE_BANDS, km)


def band_sql(column: str = "mileage_km") -> str:
    """`mileage_band` as SQL: the same bands, numbered the same way."""
    cases = " ".join(f"WHEN {column} < {bound} THEN {n}" for n, bound in enumerate(MILEAGE_BANDS))
    return f"CASE {cases} ELSE {len(MILEAGE_BANDS)} END"


def price_band(price_kzt: int, median: float) -> str:
    if price_kzt <= median * GOOD_AT:
        return "good"
    if price_kzt >= median * HIGH_AT:
        return "high"
    return "fair"


@dataclass(frozen=True)
class RunResult:
    rated: int
    changed: int
    dropped: int


# One statement: the groups' medians, the ratings, their upsert (only changed rows are
# written), the removal of ratings no longer earned, and the copy on listings both ways.
# Every group is keyed by a cell (model, generation, year, mileage band) and gathers the
# cars of its cell's years ±1: the join reads each car three times, never pairs of cars.
POSTGRES_RUN = """
WITH cars AS (
    SELECT id, model_id, coalesce(generation_id, 0) AS generation, year, price_kzt, {band} AS mileage_band
    FROM listings WHERE status = :status
), cells AS (
    SELECT DISTINCT model_id, generation, year, mileage_band FROM cars
), groups AS (
    SELECT cell.model_id, cell.generation, cell.year, cell.mileage_band, count(*) AS size,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY car.price_kzt) AS median
    FROM cells cell JOIN cars car
      ON car.model_id = cell.model_id AND car.generation = cell.generation
     AND car.mileage_band = cell.mileage_band AND car.year BETWEEN cell.year - 1 AND cell.year + 1
    GROUP BY cell.model_id, cell.generation, cell.year, cell.mileage_band
    HAVING count(*) > :min_comparables
), rated AS (
    SELECT car.id AS listing_id, g.size - 1 AS compared, round(g.median)::bigint AS median_kzt,
           CASE WHEN car.price_kzt <= g.median * CAST(:good AS double precision) THEN 'good'
                WHEN car.price_kzt >= g.median * CAST(:high AS double precision) THEN 'high'
                ELSE 'fair' END AS band
    FROM cars car JOIN groups g USING (model_id, generation, year, mileage_band)
), stored AS (
    INSERT INTO deal_ratings (listing_id, band, median_kzt, compared, rated_at)
    SELECT listing_id, band, median_kzt, compared, :now FROM rated
    ON CONFLICT (listing_id) DO UPDATE
       SET band = excluded.band, median_kzt = excluded.median_kzt, compared = excluded.compared,
           rated_at = excluded.rated_at
     WHERE (deal_ratings.band, deal_ratings.median_kzt, deal_ratings.compared)
           IS DISTINCT FROM (excluded.band, excluded.median_kzt, excluded.compared)
    RETURNING 1
), dropped AS (
    DELETE FROM deal_ratings gone WHERE NOT EXISTS (SELECT 1 FROM rated WHERE rated.listing_id = gone.listing_id)
    RETURNING 1
), copied AS (
    UPDATE listings SET deal_band = rated.band FROM rated
    WHERE listings.id = rated.listing_id AND listings.deal_band IS DISTINCT FROM rated.band
    RETURNING 1
), cleared AS (
    UPDATE listings SET deal_band = NULL
    WHERE deal_band IS NOT NULL AND NOT EXISTS (SELECT 1 FROM rated WHERE rated.listing_id = listings.id)
    RETURNING 1
)
SELECT (SELECT count(*) FROM rated), (SELECT count(*) FROM stored), (SELECT count(*) FROM dropped),
       (SELECT count(*) FROM copied), (SELECT count(*) FROM cleared)
"""


def rate_deals() -> RunResult:
    """Rate every active listing (the scheduled job); the caller's transaction is committed."""
    result = rate_on_postgres() if db.engine.dialect.name == "postgresql" else rate_portably()
    if result.changed or result.dropped:
        search_changed()  # badges and "good prices only" (written past the ORM on PostgreSQL)
    db.session.commit()
    return result


def rate_on_postgres() -> RunResult:
    params = {
        "status": RATED_STATUS,
        "min_comparables": MIN_COMPARABLES,
        "good": GOOD_AT,
        "high": HIGH_AT,
        "now": utcnow(),
    }
    row = db.session.execute(text(POSTGRES_RUN.format(band=band_sql())), params).one()
    return RunResult(rated=row[0], changed=row[1], dropped=row[2])


def compute_ratings() -> dict[int, tuple[str, int, int]]:
    """{listing id: (band, median in tenge, compared)} in Python, by the same rules as
    POSTGRES_RUN (the portable path: development and tests on SQLite)."""
    columns = (Listing.id, Listing.model_id, Listing.generation_id, Listing.year, Listing.mileage_km, Listing.price_kzt)
    cars = db.session.execute(select(*columns).where(Listing.status == RATED_STATUS)).all()
    cells: dict[tuple, list[int]] = defaultdict(list)
    for car in cars:
        cells[cell_of(car)].append(car.price_kzt)
    groups: dict[tuple, tuple[float, int]] = {}
    ratings = {}
    for car in cars:
        cell = cell_of(car)
        if cell not in groups:
            model, generation, band, year = cell
            prices = [
                price for near in (year - 1, year, year + 1) for price in cells.get((model, generation, band, near), ())
            ]
            groups[cell] = (statistics.median(prices), len(prices))
        median, size = groups[cell]
        if size - 1 >= MIN_COMPARABLES:
            ratings[car.id] = (price_band(car.price_kzt, median), round(median), size - 1)
    return ratings


def cell_of(car) -> tuple[int, int, int, int]:
    """(model, generation or 0, mileage band, year): cars of one cell and its years ±1 compare."""
    return (car.model_id, car.generation_id or 0, mileage_band(car.mileage_km), car.year)


def rate_portably() -> RunResult:
    """Store `compute_ratings()`: changed rows only, stale ones removed, the copy kept."""
    ratings = compute_ratings()
    now = utcnow()
    stored = {row.listing_id: row for row in db.session.scalars(select(DealRating))}
    changed = 0
    for listing_id, (band, median, compared) in ratings.items():
        row = stored.get(listing_id)
        if row is None:
            row = DealRating(listing_id=listing_id)
            db.session.add(row)
        elif (row.band, row.median_kzt, row.compared) == (band, median, compared):
            continue
        row.band, row.median_kzt, row.compared, row.rated_at = band, median, compared, now
        changed += 1
    stale = [listing_id for listing_id in stored if listing_id not in ratings]
    if stale:
        db.session.execute(delete(DealRating).where(DealRating.listing_id.in_(stale)))
    copies = dict(db.session.execute(select(Listing.id, Listing.deal_band).where(Listing.deal_band.is_not(None))).all())
    for listing_id, (band, _, _) in ratings.items():
        if copies.get(listing_id) != band:
            db.session.execute(update(Listing).where(Listing.id == listing_id).values(**copy_of(band)))
    unrated = [listing_id for listing_id in copies if listing_id not in ratings]
    if unrated:
        db.session.execute(update(Listing).where(Listing.id.in_(unrated)).values(**copy_of(None)))
    return RunResult(rated=len(ratings), changed=changed, dropped=len(stale))


def copy_of(band: str | None) -> dict:
    """The copy's new value; `updated_at` is named so its onupdate does not fire (a rating is
    not an edit of the listing)."""
    return {"deal_band": band, "updated_at": Listing.updated_at}


def deal_ratings(listings) -> dict[int, DealRating]:
    """The stored ratings of the active ones among `listings` (cards, the listing page)."""
    ids = [listing.id for listing in listings if listing.status == RATED_STATUS]
    if not ids:
        return {}
    return {row.listing_id: row for row in db.session.scalars(select(DealRating).where(DealRating.listing_id.in_(ids)))}


def rate_deals_job() -> str:
    """The scheduled task (and the command): rate every listing, one line for the log."""
    result = rate_deals()
    return f"{result.rated} listings rated, {result.changed} ratings changed, {result.dropped} removed"


@bp.cli.command("rate-deals")
@with_appcontext
def rate_deals_command() -> None:
    """Rate every active listing's price against similar cars on sale (run it on a schedule)."""
    click.echo(rate_deals_job())
