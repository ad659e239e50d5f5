"""Loading the shipped catalogue (app/catalog/data/*.json) into the database.

`load_catalog()` upserts: makes and regions by slug, models by (make, slug), generations by
(model, name), cities by (region, slug). A row already present and equal is left alone,
a changed one is updated in place (its id, and so every listing that points at it, stays),
a missing one is inserted. Rows that are in the database but no longer in the data are kept
(listings may refer to them) and only counted. Running it twice changes nothing the second
time.

It is bulk work: a handful of SELECTs to read what exists, then one multi-row INSERT and
one executemany UPDATE per table and level. It adds and flushes; the caller commits once.

Local names and aliases (formats in README "Catalogue"): a make may carry "aliases" (its
Cyrillic spellings) and "model_aliases" {model name: [spellings]}; a region "name_ru" and
"name_kk"; a city is an English name or {"name", "name_ru", "name_kk"}. A missing local name
stays empty and the English one is shown.

It refuses data that cannot be loaded (a missing name, a generation whose last year is
before its first, duplicate slugs within a parent) with a `CatalogDataError` naming the
offending entry, before anything is written.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import insert, select, update

from app.catalog.services import CACHE_NAMESPACE
from app.core import cache
from app.extensions import db
from app.models import Brand, CarModel, City, Generation, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
MAKES_FILE = "makes.json"
LOCATIONS_FILE = "locations.json"
TABLES = ("makes", "models", "generations", "regions", "cities")


class CatalogDataError(ValueError):
    """The dataset is malformed; the message says where."""


def slugify(name: str) -> str:
    """A URL-safe ASCII slug: 'Citroën' → 'citroen', 'Delica D:5' → 'delica-d-5'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    extra: int = 0  # in the database, not in the data (kept)


@dataclass
class LoadReport:
    """What a load did, per table, and which makes and models changed (name or aliases: the
    search text of their listings must follow)."""

    tables: dict[str, Counts] = field(default_factory=lambda: {name: Counts() for name in TABLES})
    changed_brands: set[int] = field(default_factory=set)
    changed_models: set[int] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.tables.values())

    def summary(self) -> str:
        """One line for the console."""
        if not self.changed:
            totals = ", ".join(f"{c.unchanged} {name}" for name, c in self.tables.items())
            return f"catalogue already up to date ({totals}); nothing changed"
        parts = [
            f"{name}: {c.created} new, {c.updated} updated, {c.unchanged} unchanged" for name, c in self.tables.items()
        ]
        return "catalogue loaded — " + "; ".join(parts)


# --- reading and checking the files -------------------------------------------------------


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise CatalogDataError(f"{path}: {error}") from error


def require_name(entry: Any, where: str) -> str:
    name = entry.get("name") if isinstance(entry, dict) else entry
    if not isinstance(name, str) or not name.strip():
        raise CatalogDataError(f"{where}: a name is required")
    return name.strip()


def unique(items: list[dict], key: str, where: str) -> None:
    seen: set = set()
    for item in items:
        if item[key] in seen:
            raise CatalogDataError(f"{where}: duplicate {key} {item[key]!r}")
        seen.add(item[key])


def read_aliases(raw: Any, where: str) -> str:
    """A list of spellings → "Камри, Кэмри" (stored as one text); anything else is refused."""
    if raw is None:
        return ""
    if not isinstance(raw, list) or not all(isinstance(a, str) and a.strip() and "," not in a for a in raw):
        raise CatalogDataError(f"{where}: aliases must be a list of names without commas")
    return ", ".join(a.strip() for a in raw)


def local_names(raw: Any, where: str) -> dict[str, str]:
    """{"name_ru": ..., "name_kk": ...} of an entry ("" when missing)."""
    names = {}
    for key in ("name_ru", "name_kk"):
        value = raw.get(key, "") if isinstance(raw, dict) else ""
        if not isinstance(value, str):
            raise CatalogDataError(f"{where}: {key} must be text")
        names[key] = value.strip()
    return names


def read_makes(path: Path) -> list[dict]:
    """Makes from makes.json as plain dicts, checked."""
    makes = []
    for index, raw in enumerate(read_json(path).get("makes", [])):
        name = require_name(raw, f"{path.name}: make #{index + 1}")
        where = f"{path.name}: {name}"
        model_aliases = raw.get("model_aliases") or {}
        if not isinstance(model_aliases, dict) or set(model_aliases) - set(raw.get("models") or {}):
            raise CatalogDataError(f"{where}: model_aliases must name models of this make")
        models = []
        for model_name, generations in (raw.get("models") or {}).items():
            model_name = require_name(model_name, where)
            gens = []
            for gen in generations:
                if not (isinstance(gen, list) and len(gen) == 3 and isinstance(gen[1], int)):
                    raise CatalogDataError(f"{where} {model_name}: generation {gen!r} is not [name, from, to]")
                gen_name, year_from, year_to = str(gen[0]).strip(), gen[1], gen[2]
                if not gen_name or (year_to is not None and (not isinstance(year_to, int) or year_to < year_from)):
                    raise CatalogDataError(f"{where} {model_name}: generation {gen!r} has bad years or no name")
                gens.append({"name": gen_name, "year_from": year_from, "year_to": year_to})
            unique(gens, "name", f"{where} {model_name}")
            aliases = read_aliases(model_aliases.get(model_name), f"{where} {model_name}")
            models.append({"name": model_name, "slug": slugify(model_name), "aliases": aliases, "generations": gens})
        unique(models, "slug", where)
        makes.append(
            {
                "name": name,
                "slug": raw.get("slug") or slugify(name),
                "country": raw.get("country", ""),
                "popular": bool(raw.get("popular", False)),
                "aliases": read_aliases(raw.get("aliases"), where),
                "models": models,
            }
        )
    unique(makes, "slug", path.name)
    unique(makes, "name", path.name)
    return makes


def read_locations(path: Path) -> list[dict]:
    """Regions with their cities from locations.json, checked."""
    regions = []
    for index, raw in enumerate(read_json(path).get("regions", [])):
        name = require_name(raw, f"{path.name}: region #{index + 1}")
        where = f"{path.name}: {name}"
        cities = [
            {"name": (n := require_name(c, where)), "slug": slugify(n), **local_names(c, f"{where} {n}")}
            for c in raw["cities"]
        ]
        unique(cities, "slug", where)
        slug = raw.get("slug") or slugify(name)
        regions.append({"name": name, "slug": slug, **local_names(raw, where), "cities": cities})
    unique(regions, "slug", path.name)
    unique(regions, "name", path.name)
    return regions


# --- writing ------------------------------------------------------------------------------


def sync(model: type, wanted: list[dict], key: tuple[str, ...], fields: tuple[str, ...], counts: Counts) -> list[dict]:
    """Make the rows of `model` match `wanted` (rows not wanted are counted, not deleted).

    Rows are matched on the `key` columns; `fields` are compared and updated. New rows are
    inserted in one multi-row INSERT, changed ones updated in one executemany. Returns the
    updates ({"id", *fields}).
    """
    columns = [getattr(model, name) for name in ("id", *key, *fields)]
    existing = {tuple(row[1 : 1 + len(key)]): row for row in db.session.execute(select(*columns))}
    to_insert, to_update = [], []
    for item in wanted:
        row = existing.pop(tuple(item[k] for k in key), None)
        values = {name: item[name] for name in (*key, *fields)}
        if row is None:
            to_insert.append(values)
        elif any(getattr(row, name) != item[name] for name in fields):
            to_update.append({"id": row.id, **{name: item[name] for name in fields}})
        else:
            counts.unchanged += 1
    counts.extra += len(existing)
    if to_insert:
        db.session.execute(insert(model.__table__), to_insert)  # Core executemany: one statement
        counts.created += len(to_insert)
    if to_update:
        db.session.execute(update(model), to_update)
        counts.updated += len(to_update)
    return to_update


def ids_by(model: type, *key: str) -> dict[tuple, int]:
    """Map the key columns of every row to its id."""
    columns = [getattr(model, name) for name in key]
    return {tuple(row[1:]): row[0] for row in db.session.execute(select(model.id, *columns))}


def load_catalog(data_dir: Path | str | None = None) -> LoadReport:
    """Upsert the makes, models, generations, regions and cities shipped in `data_dir`.

    Adds and flushes; the caller commits. Raises CatalogDataError on malformed data,
    before writing anything.
    """
    data_dir = Path(data_dir) if data_dir else DATA_DIR
    makes = read_makes(data_dir / MAKES_FILE)
    regions = read_locations(data_dir / LOCATIONS_FILE)
    report = LoadReport()
    t = report.tables

    updated = sync(Brand, makes, ("slug",), ("name", "country", "popular", "aliases"), t["makes"])
    report.changed_brands = {row["id"] for row in updated}
    brand_ids = ids_by(Brand, "slug")
    models = [{**m, "brand_id": brand_ids[(make["slug"],)]} for make in makes for m in make["models"]]
    updated = sync(CarModel, models, ("brand_id", "slug"), ("name", "aliases"), t["models"])
    report.changed_models = {row["id"] for row in updated}
    model_ids = ids_by(CarModel, "brand_id", "slug")
    generations = [{**g, "model_id": model_ids[(m["brand_id"], m["slug"])]} for m in models for g in m["generations"]]
    sync(Generation, generations, ("model_id", "name"), ("year_from", "year_to"), t["generations"])

    sync(Region, regions, ("slug",), ("name", "name_ru", "name_kk"), t["regions"])
    region_ids = ids_by(Region, "slug")
    cities = [{**c, "region_id": region_ids[(r["slug"],)]} for r in regions for c in r["cities"]]
    sync(City, cities, ("region_id", "slug"), ("name", "name_ru", "name_kk"), t["cities"])
    db.session.flush()
    if report.changed:
        cache.invalidate(CACHE_NAMESPACE)  # every web process, once the caller commits
    return report


# Features that copy catalogue names (the listings' search text) subscribe from their
# init_app: listener(changed make ids, changed model ids) -> how many rows it refreshed.
CHANGE_LISTENERS = "garage.catalogue_change_listeners"
ChangeListener = Callable[[set[int], set[int]], int]


def on_catalogue_change(app: Flask, listener: ChangeListener) -> None:
    app.extensions.setdefault(CHANGE_LISTENERS, []).append(listener)


def refresh_listings(report: LoadReport) -> int:
    """Tell the subscribed features which makes and models changed their names or aliases
    (the listings recompute their search text); how many rows they refreshed."""
    listeners = current_app.extensions.get(CHANGE_LISTENERS, [])
    return sum(listener(report.changed_brands, report.changed_models) for listener in listeners)


def load_catalog_summary() -> str:
    """`flask seed` loader: load the catalogue (idempotent) and say what happened."""
    report = load_catalog()
    refresh_listings(report)
    return report.summary()
