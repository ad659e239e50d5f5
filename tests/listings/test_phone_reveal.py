"""Call: the seller's phone is shown to signed-in members on request, counted once per
member for the seller, rate limited, never to guests, and never for a banned seller."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.i18n.phone import format_phone
from app.models import Listing
from tests import factories
from tests.admin.test_bans import ban_through_admin
from tests.conftest import AuthActions, csrf_token
from tests.listings.helpers import page_token

JSON = {"Accept": "application/json"}


@pytest.fixture
def car(app):
    seller = factories.make_user("seller", phone="+7 701 555 44 33", phone_visible=True)
    return factories.make_listing(seller)


def reveal(client, listing_id: int):
    token = page_token(client, f"/listings/{listing_id}")
    return client.post(
        f"/listings/{listing_id}/phone",
        data={"csrf_token": token, "confirm": "1"},
        headers=JSON | {"X-CSRFToken": token},
    )


def test_the_phone_is_not_in_the_page_until_a_member_taps_call(app, client, car):
    factories.make_user("buyer")
    AuthActions(client).login("buyer")
    html = client.get(f"/listings/{car.id}").get_data(as_text=True)
    assert "555 44 33" not in html and 'id="bar-call"' in html and 'id="bar-write"' in html
    answer = reveal(client, car.id)
    assert answer.status_code == 200
    assert answer.get_json() == {"phone": "+7 701 555 44 33", "tel": "tel:+77015554433"}


def test_the_seller_sees_how_many_people_asked_for_the_phone(app, client, car):
    for name in ("buyer", "other"):
        factories.make_user(name)
        visitor = app.test_client()
        AuthActions(visitor).login(name)
        reveal(visitor, car.id)
        reveal(visitor, car.id)  # a second tap by the same person counts once
    assert db.session.get(Listing, car.id).phone_reveals == 2
    AuthActions(client).login("seller")
    assert "phone shown to 2 people" in client.get(f"/listings/{car.id}").get_data(as_text=True)
    mine = client.get("/listings/mine").get_data(as_text=True)
    assert '<td class="d-none d-md-table-cell phone-reveals">2</td>' in mine and "phone shown to 2 people" in mine


def test_guests_are_asked_to_sign_in(client, car):
    html = client.get(f"/listings/{car.id}").get_data(as_text=True)
    assert "Sign in to see the phone" in html and "555 44 33" not in html
    token = csrf_token(client, "/auth/login")
    answer = client.post(f"/listings/{car.id}/phone", data={"csrf_token": token}, headers=JSON)
    assert answer.status_code == 401 and "/auth/login" in answer.get_json()["sign_in"]
    assert db.session.get(Listing, car.id).phone_reveals == 0


def test_no_phone_to_show_and_banned_sellers_are_refused_with_a_reason(app, client, car):
    quiet = factories.make_user("quiet", phone="+7 701 000 00 00", phone_visible=False)
    hidden = factories.make_listing(quiet)
    factories.make_user("buyer")
    AuthActions(client).login("buyer")
    assert 'id="bar-call"' not in client.get(f"/listings/{hidden.id}").get_data(as_text=True)
    answer = reveal(client, hidden.id)
    assert answer.status_code == 404 and "has not shared a phone number" in answer.get_json()["error"]
    ban_through_admin(app, car.seller_id)
    answer = reveal(client, car.id)
    assert answer.status_code == 403 and "this account is suspended" in answer.get_json()["error"]


def test_a_dealer_business_phone_is_shown_the_same_way(app, client):
    dealer = factories.make_user("autohouse", role="dealer")
    dealer.dealer_profile.phone = "+7 727 300 00 00"
    db.session.commit()
    car = factories.make_listing(dealer)
    factories.make_user("buyer")
    AuthActions(client).login("buyer")
    answer = reveal(client, car.id).get_json()
    assert answer["tel"] == "tel:+77273000000" and answer["phone"] == format_phone("+77273000000")


def test_reveals_are_rate_limited(app, client, car):
    factories.make_user("buyer")
    AuthActions(client).login("buyer")
    codes = [reveal(client, car.id).status_code for _ in range(31)]
    assert codes[:30] == [200] * 30 and codes[30] == 429
