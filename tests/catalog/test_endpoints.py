"""The catalogue JSON that feeds dependent selects: shape, order, caching and 404s."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Brand, CarModel, City, Generation, Region


@pytest.fixture
def small_catalogue(app):
    """Three makes (one popular), Toyota's models and Camry's generations, one region."""
    toyota = Brand(name="Toyota", slug="toyota", country="Japan", popular=True)
    audi = Brand(name="Audi", slug="audi", country="Germany")
    bmw = Brand(name="BMW", slug="bmw", country="Germany")
    camry = CarModel(brand=toyota, name="Camry", slug="camry")
    CarModel(brand=toyota, name="Corolla", slug="corolla")
    CarModel(brand=toyota, name="Land Cruiser Prado", slug="land-cruiser-prado")
    Generation(model=camry, name="XV50", year_from=2011, year_to=2017)
    Generation(model=camry, name="XV70", year_from=2017, year_to=2024)
    Generation(model=camry, name="XV80", year_from=2024, year_to=None)
    almaty_region = Region(name="Almaty Region", slug="almaty-region")
    City(region=almaty_region, name="Talgar", slug="talgar")
    City(region=almaty_region, name="Konaev", slug="konaev")
    db.session.add_all([toyota, audi, bmw, almaty_region])
    db.session.commit()
    return {"toyota": toyota.id, "camry": camry.id, "region": almaty_region.id}


def test_brands_popular_first_then_alphabetical(client, small_catalogue):
    response = client.get("/catalog/brands")
    assert response.status_code == 200
    assert response.json == [
        {"id": small_catalogue["toyota"], "name": "Toyota", "popular": True},
        {"id": response.json[1]["id"], "name": "Audi", "popular": False},
        {"id": response.json[2]["id"], "name": "BMW", "popular": False},
    ]
    assert response.cache_control.public
    assert response.cache_control.max_age == 3600


def test_models_of_a_make_alphabetical(client, small_catalogue):
    response = client.get(f"/catalog/brands/{small_catalogue['toyota']}/models")
    assert response.status_code == 200
    assert [m["name"] for m in response.json] == ["Camry", "Corolla", "Land Cruiser Prado"]
    assert set(response.json[0]) == {"id", "name"}
    assert response.cache_control.public and response.cache_control.max_age == 3600


def test_generations_newest_first_with_years_and_label(client, small_catalogue):
    response = client.get(f"/catalog/models/{small_catalogue['camry']}/generations")
    assert response.status_code == 200
    rows = [{k: v for k, v in g.items() if k != "id"} for g in response.json]
    assert rows == [
        {"name": "XV80", "year_from": 2024, "year_to": None, "label": "XV80 (2024–…)"},
        {"name": "XV70", "year_from": 2017, "year_to": 2024, "label": "XV70 (2017–2024)"},
        {"name": "XV50", "year_from": 2011, "year_to": 2017, "label": "XV50 (2011–2017)"},
    ]


def test_regions_and_their_cities(client, small_catalogue):
    regions = client.get("/catalog/regions")
    assert regions.json == [{"id": small_catalogue["region"], "name": "Almaty Region"}]
    cities = client.get(f"/catalog/regions/{small_catalogue['region']}/cities")
    assert [c["name"] for c in cities.json] == ["Konaev", "Talgar"]
    assert cities.cache_control.max_age == 3600


@pytest.mark.parametrize(
    "path",
    [
        "/catalog/brands/999999/models",
        "/catalog/models/999999/generations",
        "/catalog/regions/999999/cities",
    ],
)
def test_unknown_ids_are_json_404(client, small_catalogue, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.is_json
    assert response.json["error"] and "No such" in response.json["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/catalog/brands/abc/models",
        "/catalog/models/-1/generations",
        # past PostgreSQL's integer range: no route matches (app.DatabaseIdConverter)
        "/catalog/brands/99999999999999999999999/models",
        "/catalog/models/99999999999999999999999/generations",
    ],
)
def test_malformed_ids_are_404_not_500(client, small_catalogue, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.is_json


def test_empty_catalogue_answers_empty_lists(client):
    assert client.get("/catalog/brands").json == []
    assert client.get("/catalog/regions").json == []


def test_regions_follow_the_readers_alphabet(client):
    """A Kazakh reader finds «Ақмола облысы» right after «Абай облысы», not after «Атырау облысы»
    (code point order puts ә, ғ, қ, ң, ө, ұ, ү, һ, і after я); a Russian reader finds «Ёлкино» after «Елань»."""
    names = [
        ("Atyrau Region", "Атырауская область", "Атырау облысы"),
        ("Akmola Region", "Акмолинская область", "Ақмола облысы"),
        ("Abai Region", "Абайская область", "Абай облысы"),
        ("Ulytau Region", "Улытауская область", "Ұлытау облысы"),
        ("Turkistan Region", "Туркестанская область", "Түркістан облысы"),
        ("Yolkino", "Ёлкино", "Ёлкино"),
        ("Yelan", "Елань", "Елань"),
    ]
    for name, russian, kazakh in names:
        db.session.add(Region(name=name, slug=name.lower().replace(" ", "-"), name_ru=russian, name_kk=kazakh))
    db.session.commit()
    kazakh = [region["name"] for region in client.get("/catalog/regions?lang=kk").json]
    assert kazakh == [
        "Абай облысы",
        "Ақмола облысы",
        "Атырау облысы",
        "Елань",
        "Ёлкино",
        "Түркістан облысы",
        "Ұлытау облысы",
    ]
    russian = [region["name"] for region in client.get("/catalog/regions?lang=ru").json]
    assert russian[-3:] == ["Ёлкино", "Туркестанская область", "Улытауская область"]
    assert russian[:4] == ["Абайская область", "Акмолинская область", "Атырауская область", "Елань"]
