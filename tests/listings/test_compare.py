"""Comparison: up to four cars, kept for guests in a cookie, the differing rows marked."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from tests import factories
from tests.conftest import csrf_token


@pytest.fixture
def cars(app):
    seller = factories.make_user("seller")
    return [factories.make_listing(seller, year=2015 + n, mileage_km=60000 + n * 1000) for n in range(5)]


def add(client, listing_id: int, token: str | None = None, **extra):
    token = token or csrf_token(client, f"/listings/{listing_id}")
    return client.post(f"/listings/compare/{listing_id}", data={"csrf_token": token, "confirm": "1", **extra})


def rows(html: str) -> dict[str, tuple[bool, list[str]]]:
    """{row label: (marked as differing, the cells)} of the comparison table."""
    found = {}
    for classes, label, cells in re.findall(
        r'<tr class="([^"]*)">\s*<th scope="row" class="compare-label">([^<]+)(.*?)</tr>', html, re.S
    ):
        found[label.strip()] = ("compare-differs" in classes, re.findall(r"<td>(.*?)</td>", cells, re.S))
    return found


def test_a_guest_compares_cars_side_by_side_with_differences_marked(client, cars):
    for car in cars[:2]:
        response = add(client, car.id)
        assert response.status_code == 302 and response.headers["Location"] == f"/listings/{car.id}"
    html = client.get("/listings/compare").get_data(as_text=True)
    assert "2 of 4 cars" in html
    table = rows(html)
    assert table["Year"] == (True, ["2015", "2016"])
    assert table["Mileage"][0] is True
    assert table["Fuel"] == (False, ["Petrol", "Petrol"])
    assert table["Price"][0] is False
    assert html.count('class="compare-car"') == 2
    assert "Highlighted rows are where the cars differ." in html


def test_a_fifth_car_is_refused_with_the_reason(client, cars):
    for car in cars[:4]:
        add(client, car.id)
    response = add(client, cars[4].id, next=f"/listings/{cars[4].id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You can compare up to 4 cars. Remove one from the comparison first." in page
    html = client.get("/listings/compare").get_data(as_text=True)
    assert html.count('class="compare-car"') == 4 and f'data-listing-id="{cars[4].id}"' not in html


def test_adding_twice_keeps_one_and_remove_frees_a_slot(client, cars):
    token = csrf_token(client, f"/listings/{cars[0].id}")
    add(client, cars[0].id, token)
    add(client, cars[0].id, token)  # a second tab: still one
    assert client.get("/listings/compare").get_data(as_text=True).count('class="compare-car"') == 1
    page = client.get(f"/listings/{cars[0].id}").get_data(as_text=True)
    assert 'id="compare-open"' in page and 'id="nav-compare"' in page
    token = csrf_token(client, "/listings/compare")
    response = client.post(
        f"/listings/compare/{cars[0].id}/remove",
        data={"csrf_token": token, "confirm": "1", "next": "/listings/compare"},
    )
    assert response.headers["Location"] == "/listings/compare"
    assert "Nothing to compare yet" in client.get("/listings/compare").get_data(as_text=True)


def test_the_comparison_survives_signing_in(client, auth, cars):
    factories.make_user("buyer")
    add(client, cars[1].id)
    auth.login("buyer")
    assert f'data-listing-id="{cars[1].id}"' in client.get("/listings/compare").get_data(as_text=True)


def test_hidden_cars_drop_out_and_hostile_cookies_are_ignored(client, cars):
    add(client, cars[0].id)
    add(client, cars[1].id)
    cars[1].status = "archived"
    db.session.commit()
    html = client.get("/listings/compare").get_data(as_text=True)
    assert html.count('class="compare-car"') == 1
    for value in ("1.2.%00", "9" * 40, "x" * 3000, "-1.0.²", f"{cars[2].id}." * 50):
        client.set_cookie("compare", value)
        assert client.get("/listings/compare").status_code == 200
    assert client.get("/listings/compare").get_data(as_text=True).count('class="compare-car"') == 1


def test_compare_needs_csrf_and_a_public_listing(client, cars):
    assert client.post(f"/listings/compare/{cars[0].id}", data={"confirm": "1"}).status_code == 400
    token = csrf_token(client, f"/listings/{cars[1].id}")
    cars[0].status = "draft"
    db.session.commit()
    response = client.post(f"/listings/compare/{cars[0].id}", data={"csrf_token": token, "confirm": "1"})
    assert response.status_code == 404
    response = client.post(
        f"/listings/compare/{cars[1].id}", data={"csrf_token": token, "confirm": "1", "next": "//evil.example/"}
    )
    assert response.headers["Location"] == f"/listings/{cars[1].id}"
