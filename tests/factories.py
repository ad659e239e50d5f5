"""Test data builders: real rows through the same services the site uses."""

from __future__ import annotations

from app.auth import services as accounts
from app.extensions import db
from app.models import DealerProfile, User

DEFAULT_PASSWORD = "correct-horse-1"


def make_user(username: str = "buyer", role: str = "user", password: str = DEFAULT_PASSWORD, **fields) -> User:
    user = accounts.create_user(username, fields.pop("email", f"{username.lower()}@example.com"), password, role=role)
    for name, value in fields.items():
        setattr(user, name, value)
    if role == "dealer" and user.dealer_profile is None:
        user.dealer_profile = DealerProfile(company_name=f"{username} Motors")
    db.session.commit()
    return user


# --- marketplace -----------------------------------------------------------------------


def make_catalog() -> dict:
    """A small catalogue (two makes, three models, generations, two regions with cities),
    created once per test database; returns the rows by name."""
    from sqlalchemy import select

    from app.models import Brand, CarModel, City, Generation, Region

    rows: dict = {}
    existing = db.session.scalar(select(Brand).where(Brand.slug == "toyota"))
    if existing is None:
        toyota = Brand(name="Toyota", slug="toyota", country="Japan", popular=True)
        lada = Brand(name="Lada", slug="lada", country="Russia", popular=True)
        camry = CarModel(brand=toyota, name="Camry", slug="camry")
        rav4 = CarModel(brand=toyota, name="RAV4", slug="rav4")
        vesta = CarModel(brand=lada, name="Vesta", slug="vesta")
        db.session.add_all([toyota, lada, camry, rav4, vesta])
        db.session.add_all(
            [
                Generation(model=camry, name="XV70", year_from=2017, year_to=None),
                Generation(model=camry, name="XV50", year_from=2011, year_to=2017),
                Generation(model=rav4, name="XA50", year_from=2018, year_to=None),
                Generation(model=vesta, name="I", year_from=2015, year_to=None),
            ]
        )
        almaty = Region(name="Almaty", slug="almaty")
        astana = Region(name="Astana", slug="astana")
        db.session.add_all(
            [
                almaty,
                astana,
                City(region=almaty, name="Almaty", slug="almaty"),
                City(region=almaty, name="Kaskelen", slug="kaskelen"),
                City(region=astana, name="Astana", slug="astana"),
            ]
        )
        db.session.commit()
    for model in (Brand, CarModel, Region, City, Generation):
        for row in db.session.scalars(select(model)):
            rows[f"{model.__name__.lower()}:{row.name}"] = row
    return rows


def make_listing(seller: User, model: str = "Camry", city: str = "Almaty", **fields):
    """A listing through the same service the site uses; `fields` override the form data."""
    from app.listings import services

    catalog = make_catalog()
    car_model = catalog[f"carmodel:{model}"]
    data = {
        "brand_id": car_model.brand_id,
        "model_id": car_model.id,
        "generation_id": None,
        "city_id": catalog[f"city:{city}"].id,
        "year": 2018,
        "mileage_km": 85000,
        "price": 12_500_000,
        "currency": "KZT",
        "body": "sedan",
        "fuel": "petrol",
        "transmission": "automatic",
        "drive": "fwd",
        "colour": "white",
        "steering": "left",
        "condition": "used",
        "engine_volume_l": 2.5,
        "power_hp": 181,
        "vin": None,
        "description": "",
    }
    status = fields.pop("status", None)
    data.update(fields)
    listing = services.create_listing(seller, data)
    if status:
        listing.status = status
    db.session.commit()
    return listing
