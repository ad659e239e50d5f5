"""Helpers for marketplace tests: form data as the browser would send it."""

from __future__ import annotations

import re

from tests.conftest import form_tokens
from tests.factories import make_catalog


def listing_form(client, path: str = "/listings/new", **overrides) -> dict:
    """A complete, valid listing form (a Toyota Camry in Almaty) with its CSRF token (and
    on the new-listing page its one-time form token)."""
    return {**form_tokens(client, path), **listing_fields(**overrides)}


def listing_fields(**overrides) -> dict:
    """The fields of a complete, valid listing form (a Toyota Camry in Almaty)."""
    catalog = make_catalog()
    data = {
        "brand_id": catalog["brand:Toyota"].id,
        "model_id": catalog["carmodel:Camry"].id,
        "generation_id": catalog["generation:XV70"].id,
        "year": 2018,
        "mileage_km": 85000,
        "price": 12500000,
        "currency": "KZT",
        "body": "sedan",
        "fuel": "petrol",
        "transmission": "automatic",
        "drive": "fwd",
        "colour": "white",
        "steering": "left",
        "condition": "used",
        "engine_volume_l": "2.5",
        "power_hp": 181,
        "vin": "",
        "region_id": catalog["region:Almaty"].id,
        "city_id": catalog["city:Almaty"].id,
        "description": "One owner, serviced at the dealer.",
    }
    data.update(overrides)
    return data


def page_token(client, path: str) -> str:
    """The CSRF token of a page (for JSON endpoints: the X-CSRFToken header)."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'data-csrf="([^"]+)"', html) or re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)
