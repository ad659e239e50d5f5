"""Cyrillic search: people type makes and models the way they say them ("Камри", "тойота
камри", "Лада Нива", "мерседес") and find the same cars as with the Latin names; forum search
finds Russian word forms on PostgreSQL. Runs on SQLite (LIKE) and PostgreSQL (full text)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.catalog.loader import load_catalog, refresh_listings
from app.extensions import db
from app.listings import services
from app.models import Brand, CarModel, City
from tests.factories import make_user
from tests.forum.helpers import make_category, make_topic, reply


def listing_of(seller, make: str, model: str, year: int = 2018):
    brand = db.session.scalar(select(Brand).where(Brand.name == make))
    car = db.session.scalar(select(CarModel).where(CarModel.brand_id == brand.id, CarModel.name == model))
    city = db.session.scalar(select(City).where(City.name == "Almaty"))
    data = {
        "brand_id": brand.id, "model_id": car.id, "generation_id": None, "city_id": city.id, "year": year,
        "mileage_km": 85000, "price": 9_000_000, "currency": "KZT", "body": "sedan", "fuel": "petrol",
        "transmission": "automatic", "drive": "fwd", "colour": "white", "steering": "left", "condition": "used",
        "engine_volume_l": 2.5, "power_hp": 181, "vin": None, "description": "",
    }  # fmt: skip
    listing = services.create_listing(seller, data)
    db.session.commit()
    return listing


@pytest.fixture
def cars(db):
    """The shipped catalogue (with its Cyrillic aliases) and one car of each kind."""
    load_catalog()
    db.session.commit()
    seller = make_user("seller")
    return {
        "camry": listing_of(seller, "Toyota", "Camry"),
        "niva": listing_of(seller, "Lada", "Niva Legend"),
        "vesta": listing_of(seller, "Lada", "Vesta"),
        "eclass": listing_of(seller, "Mercedes-Benz", "E-Class"),
        "rio": listing_of(seller, "Kia", "Rio"),
    }


def found(client, query: str) -> set[int]:
    html = client.get("/listings/", query_string={"q": query, "lang": "ru"}).get_data(as_text=True)
    return {int(i) for i in re.findall(r'data-listing-id="(\d+)"', html)}


@pytest.mark.parametrize(
    ("cyrillic", "latin", "expected"),
    [
        ("Камри", "Camry", {"camry"}),
        ("тойота камри", "toyota camry", {"camry"}),
        ("Лада Нива", "Lada Niva", {"niva"}),
        ("мерседес", "mercedes", {"eclass"}),
        ("ЛАДА", "lada", {"niva", "vesta"}),
    ],
)
def test_a_buyer_typing_in_cyrillic_finds_the_same_cars_as_in_latin(client, cars, cyrillic, latin, expected):
    ids = {cars[name].id for name in expected}
    assert found(client, cyrillic) == ids
    assert found(client, latin) == ids


def test_new_aliases_in_the_catalogue_reach_listings_already_on_sale(client, cars):
    kia = db.session.scalar(select(Brand).where(Brand.name == "Kia"))
    rio = db.session.scalar(select(CarModel).where(CarModel.brand_id == kia.id, CarModel.name == "Rio"))
    rio.aliases = "Риошка"
    db.session.commit()
    assert found(client, "риошка") == set()  # stored text, not a per-search translation

    class Changed:
        changed_brands: set[int] = set()
        changed_models = {rio.id}

    assert refresh_listings(Changed()) == 1
    db.session.commit()
    assert found(client, "риошка") == {cars["rio"].id}


def test_loading_the_catalogue_again_changes_no_listing(client, cars):
    report = load_catalog()
    assert not report.changed and refresh_listings(report) == 0


def test_forum_search_finds_russian_word_forms(client, db):
    """PostgreSQL stems Russian words; SQLite (no stemmer) finds the word as written."""
    author = make_user("author")
    topic = make_topic(author, make_category(), "Масло для мотора", "Какое масло лить?")
    reply(topic, author, "Замена масла двигателя каждые 7 500 км.")
    make_topic(author, make_category(), "Шины на зиму", "Какие шины берёте?")
    query = "двигатель" if db.engine.dialect.name == "postgresql" else "двигателя"
    html = client.get("/forum/search", query_string={"q": query, "lang": "ru"}).get_data(as_text=True)
    assert "Замена масла двигателя" in html and "Какие шины" not in html
