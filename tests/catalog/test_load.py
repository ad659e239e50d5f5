"""`flask catalog load` and the shipped dataset: real makes, idempotent, bulk."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date

from sqlalchemy import func, select

from app.catalog.loader import DATA_DIR, load_catalog, load_catalog_summary
from app.core.demo import demo_loaders
from app.extensions import db
from app.models import Brand, CarModel, City, Generation, Region
from tests.queries import count_statements

TABLES = (Brand, CarModel, Generation, Region, City)


def counts() -> dict[str, int]:
    return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model)) for model in TABLES}


def load(runner, *args):
    result = runner.invoke(args=["catalog", "load", *args])
    assert result.exit_code == 0, result.output
    return result.output


def generation(brand: str, model: str, name: str) -> Generation:
    return db.session.scalar(
        select(Generation)
        .join(CarModel)
        .join(Brand)
        .where(Brand.name == brand, CarModel.name == model, Generation.name == name)
    )


def camry_generation_ids() -> dict[str, int]:
    query = select(Generation.name, Generation.id).join(CarModel).where(CarModel.slug == "camry")
    return dict(db.session.execute(query).tuples().all())


def test_loading_twice_gives_the_same_rows_and_says_nothing_changed(runner):
    first = load(runner)
    assert "catalogue loaded" in first
    after_first = counts()
    ids = camry_generation_ids()

    second = load(runner)
    assert "nothing changed" in second
    assert counts() == after_first
    db.session.expire_all()
    assert camry_generation_ids() == ids


def test_the_dataset_has_real_makes_models_and_generations(runner):
    load(runner)
    assert db.session.scalar(select(func.count()).select_from(Brand)) >= 45
    names = set(db.session.scalars(select(Brand.name)))
    for make in ("Toyota", "Lexus", "Hyundai", "Kia", "Chevrolet", "Lada", "Volkswagen", "Mercedes-Benz", "BMW",
                 "Audi", "Nissan", "Mitsubishi", "Honda", "Mazda", "Subaru", "Skoda", "Renault", "Ford", "Chery",
                 "Haval", "Geely", "Changan", "Daewoo", "Ravon", "UAZ", "GAZ", "Citroën", "Land Rover", "SsangYong",
                 "Li Auto", "Tesla", "BYD", "Zeekr"):  # fmt: skip
        assert make in names, make

    xv70 = generation("Toyota", "Camry", "XV70")
    assert (xv70.year_from, xv70.year_to, xv70.label) == (2017, 2024, "XV70 (2017–2024)")
    xv40 = generation("Toyota", "Camry", "XV40")
    assert (xv40.year_from, xv40.year_to) == (2006, 2011)
    assert generation("Toyota", "Camry", "XV80").year_to is None
    vesta = db.session.scalar(select(CarModel).join(Brand).where(Brand.name == "Lada", CarModel.name == "Vesta"))
    assert [(g.year_from, g.year_to) for g in vesta.generations] == [(2015, None)]
    assert db.session.scalar(select(Brand).where(Brand.slug == "citroen")).name == "Citroën"


def test_big_makes_have_many_models_and_years_are_sane(runner):
    load(runner)
    for make in ("Toyota", "Hyundai", "Kia", "Volkswagen", "Mercedes-Benz", "BMW", "Nissan", "Lada"):
        brand = db.session.scalar(select(Brand).where(Brand.name == make))
        assert 8 <= len(brand.models) <= 15, make
    next_year = date.today().year + 1
    for gen in db.session.scalars(select(Generation)):
        assert 1900 < gen.year_from <= next_year, gen.label
        assert gen.year_to is None or gen.year_from <= gen.year_to <= next_year, gen.label
    assert db.session.scalar(select(func.count()).select_from(Brand).where(~Brand.models.any())) == 0
    for slug in db.session.scalars(select(Brand.slug).union_all(select(CarModel.slug))):
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug


def test_popular_makes_are_marked_for_kazakhstan(runner):
    load(runner)
    popular = set(db.session.scalars(select(Brand.name).where(Brand.popular.is_(True))))
    assert 12 <= len(popular) <= 18
    assert {"Toyota", "Hyundai", "Lada", "Chevrolet", "Kia"} <= popular


def test_regions_and_cities_of_kazakhstan(runner):
    load(runner)
    regions = {r.name: r for r in db.session.scalars(select(Region))}
    assert len(regions) == 20  # 17 regions and 3 cities of republican significance
    for city in ("Almaty", "Astana", "Shymkent"):
        assert [c.name for c in regions[city].cities] == [city]
    assert "Konaev" in [c.name for c in regions["Almaty Region"].cities]
    assert "Taldykorgan" in [c.name for c in regions["Jetisu Region"].cities]
    assert "Semey" in [c.name for c in regions["Abai Region"].cities]
    assert "Zhezkazgan" in [c.name for c in regions["Ulytau Region"].cities]
    assert db.session.scalar(select(func.count()).select_from(City)) > 60


def test_a_changed_row_is_updated_in_place_and_extra_rows_are_kept(runner):
    load(runner)
    xv70 = generation("Toyota", "Camry", "XV70")
    xv70_id = xv70.id
    xv70.year_to = 2030
    toyota = db.session.scalar(select(Brand).where(Brand.slug == "toyota"))
    db.session.add(CarModel(brand=toyota, name="Crown", slug="crown"))
    db.session.commit()

    output = load(runner)
    assert "generations: 0 new, 1 updated" in output
    assert "kept rows that are not in the data" in output and "1 models" in output
    db.session.expire_all()
    assert db.session.get(Generation, xv70_id).year_to == 2024
    assert db.session.scalar(select(CarModel).where(CarModel.slug == "crown")) is not None


def test_loading_is_bulk_not_a_statement_per_row(app):
    with count_statements() as statements:
        report = load_catalog()
        db.session.commit()
    assert report.tables["generations"].created > 800
    assert len(statements) < 30


def test_malformed_data_is_refused_without_writing(runner, tmp_path):
    shutil.copy(DATA_DIR / "locations.json", tmp_path / "locations.json")
    data = json.loads((DATA_DIR / "makes.json").read_text(encoding="utf-8"))
    data["makes"][0]["models"]["Camry"].append(["XV99", 2020, 2010])
    (tmp_path / "makes.json").write_text(json.dumps(data), encoding="utf-8")

    result = runner.invoke(args=["catalog", "load", "--data-dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "Camry" in result.output and "XV99" in result.output
    assert counts()["brands"] == 0


def test_flask_seed_loads_the_catalogue_first(app, runner):
    from app.chat.demo import load_demo_chat
    from app.forum.demo import load_forum_demo
    from app.listings.demo import load_demo_listings

    loaders = demo_loaders(app)
    assert loaders[:2] == [load_catalog_summary, load_demo_listings]  # the demo cars need makes and cities
    assert {load_forum_demo, load_demo_chat} <= set(loaders[2:])  # their demos show listing cards
    assert "catalogue loaded" in load_catalog_summary()
    db.session.commit()
    assert counts()["brands"] >= 45


def test_endpoints_serve_the_loaded_catalogue(client, runner):
    load(runner)
    brands = client.get("/catalog/brands").json
    popular = [b["popular"] for b in brands]
    assert popular == sorted(popular, reverse=True)  # popular first
    assert [b["name"] for b in brands if b["popular"]] == sorted(b["name"] for b in brands if b["popular"])
    toyota = next(b for b in brands if b["name"] == "Toyota")
    models = client.get(f"/catalog/brands/{toyota['id']}/models").json
    camry = next(m for m in models if m["name"] == "Camry")
    generations = client.get(f"/catalog/models/{camry['id']}/generations").json
    assert [g["name"] for g in generations] == ["XV80", "XV70", "XV50", "XV40", "XV30", "XV20", "XV10"]
    almaty = next(r for r in client.get("/catalog/regions").json if r["name"] == "Almaty Region")
    cities = [c["name"] for c in client.get(f"/catalog/regions/{almaty['id']}/cities").json]
    assert cities == sorted(cities) and "Talgar" in cities
