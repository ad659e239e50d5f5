"""Raising a listing (free once a day; archive → activate no longer raises) and the paid
services: Top slots above a search's results, taking turns, highlighted cards, paid raises,
and what a refund takes back. On SQLite and PostgreSQL (TEST_DATABASE_URL)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest

from app.core import cache
from app.core.time import utcnow
from app.extensions import db
from app.listings import promotions
from app.models import Listing
from tests import factories
from tests.conftest import form_tokens
from tests.listings.helpers import page_token
from tests.queries import count_statements


@pytest.fixture
def seller(app):
    return factories.make_user("seller")


@pytest.fixture(params=[0, 60], ids=["facts-off", "facts-shared"])
def search_facts(request, app):
    """Search's shared facts (Top rings, totals) off, as in the other tests, and on for 60 s,
    as in production (CACHE_SEARCH_FACTS_SECONDS): the Top slot must behave the same."""
    app.config["CACHE_SEARCH_FACTS_SECONDS"] = request.param
    cache.clear()
    yield request.param
    app.config["CACHE_SEARCH_FACTS_SECONDS"] = 0
    cache.clear()


def card_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-listing-id="(\d+)"', html)]


def top_ids(html: str) -> list[int]:
    """The listings in the Top slot above the results, in order."""
    match = re.search(r'<section class="top-slot.*?</section>', html, re.S)
    return card_ids(match.group(0)) if match else []


def result_ids(html: str) -> list[int]:
    """The ordinary results (what follows the Top slot)."""
    return card_ids(re.sub(r'<section class="top-slot.*?</section>', "", html, flags=re.S))


def search(client, query: str = "") -> str:
    return client.get(f"/listings/?{query}").get_data(as_text=True)


def post(client, listing: Listing, path: str, **data):
    """A button or form of the listing page, with its CSRF token and (the Buy form) its
    one-time form token, read from the page."""
    tokens = form_tokens(client, f"/listings/{listing.id}")
    return client.post(f"/listings/{listing.id}/{path}", data={**tokens, "confirm": "1", **data})


def fresh(listing: Listing) -> Listing:
    db.session.expire_all()
    return db.session.get(Listing, listing.id)


def test_the_owner_raises_an_active_listing_for_free_once_a_day(client, auth, seller, clock):
    car = factories.make_listing(seller)
    clock.move(hours=1)
    newer = factories.make_listing(seller, model="RAV4")
    auth.login("seller")
    assert result_ids(search(client))[:2] == [newer.id, car.id]

    # Published an hour ago: the first free raise is a day after publication, and the page says when.
    page = client.get(f"/listings/{car.id}").get_data(as_text=True)
    assert 'id="raise-button"' not in page and "Next free raise:" in page
    refused = client.get(post(client, car, "raise").headers["Location"]).get_data(as_text=True)
    assert "The next free raise is on" in refused
    assert result_ids(search(client))[:2] == [newer.id, car.id]

    clock.move(hours=24, minutes=5)
    assert 'id="raise-button"' in client.get(f"/listings/{car.id}").get_data(as_text=True)
    raised = client.get(post(client, car, "raise").headers["Location"]).get_data(as_text=True)
    assert "Your listing is at the top of the newest cars again." in raised
    assert result_ids(search(client))[:2] == [car.id, newer.id]
    bumped = fresh(car).bumped_at

    # A second press the same day is refused and changes nothing; the next day it works again.
    newer_raise = post(client, newer, "raise")  # the other car's own free raise is due too
    assert newer_raise.status_code == 302
    assert "The next free raise is on" in client.get(post(client, car, "raise").headers["Location"]).get_data(True)
    assert fresh(car).bumped_at == bumped
    assert result_ids(search(client))[:2] == [newer.id, car.id]
    clock.move(hours=24, minutes=1)
    post(client, car, "raise")
    assert result_ids(search(client))[:2] == [car.id, newer.id]


def test_archiving_and_putting_back_on_sale_does_not_raise(client, auth, seller, clock):
    car = factories.make_listing(seller)
    clock.move(hours=2)
    newer = factories.make_listing(seller, model="RAV4")
    bumped = car.bumped_at
    auth.login("seller")
    for action in ("archive", "activate", "reserve", "activate"):
        post(client, car, "status", action=action)
        clock.move(minutes=5)
    car = fresh(car)
    assert car.status == "active" and car.bumped_at == bumped
    assert result_ids(search(client))[:2] == [newer.id, car.id]


def test_only_the_owner_raises_and_only_an_active_listing(app, client, auth, seller, clock):
    car = factories.make_listing(seller)
    reserved = factories.make_listing(seller, status="reserved")
    factories.make_user("buyer")
    clock.move(days=2)
    auth.login("buyer")
    assert post(client, car, "raise").status_code == 403
    assert post(client, car, "renew").status_code == 403
    auth.logout()
    assert app.test_client().post(f"/listings/{car.id}/raise").status_code in (302, 400)
    auth.login("seller")
    assert client.post(f"/listings/{car.id}/raise", data={"confirm": "1"}).status_code == 400  # no CSRF token
    assert "Only a listing on sale can be raised." in client.get(
        post(client, reserved, "raise").headers["Location"]
    ).get_data(as_text=True)
    assert fresh(car).bumped_at == car.bumped_at and fresh(reserved).free_raised_at is None


def test_a_top_listing_takes_the_slot_above_every_search_it_matches(client, seller, clock, search_facts):
    camrys = [factories.make_listing(seller) for _ in range(3)]
    lada = factories.make_listing(seller, model="Vesta", price=5_000_000)
    promotions.fulfil(camrys[0].id, "listing_top_3", "test:1")
    promotions.fulfil(lada.id, "listing_top_1", "test:2")
    db.session.commit()
    toyota = camrys[0].brand_id

    html = search(client, f"brand={toyota}")
    assert top_ids(html) == [camrys[0].id]
    assert 'class="badge text-bg-warning top-mark"' in html and ">Top<" in html
    assert sorted(result_ids(html)) == sorted(c.id for c in camrys)  # still in its own place too
    assert sorted(top_ids(search(client))) == sorted([camrys[0].id, lada.id])
    assert top_ids(search(client, "price_to=6000000")) == [lada.id]
    assert top_ids(search(client, "q=camry")) == [camrys[0].id]  # free text: PostgreSQL full text too
    assert top_ids(search(client, "q=nothing-matches-this")) == []

    # Sold: out of search, out of the Top slot; when the days are over, the slot is empty.
    lada.status = "sold"
    db.session.commit()
    assert top_ids(search(client)) == [camrys[0].id]
    clock.move(days=3, minutes=1)
    html = search(client, f"brand={toyota}")
    assert top_ids(html) == [] and "top-mark" not in html


def test_top_listings_share_the_slots_in_turn(client, seller, app, search_facts):
    cars = [factories.make_listing(seller) for _ in range(5)]
    for n, car in enumerate(cars):
        promotions.fulfil(car.id, "listing_top_7", f"test:{n}")
    db.session.commit()
    assert app.config["TOP_SLOTS"] == 3
    shown = Counter()
    for _ in range(5):
        slot = top_ids(search(client))
        assert len(slot) == 3 and len(set(slot)) == 3
        shown.update(slot)
    assert shown == {car.id: 3 for car in cars}  # five searches: every Top listing shown three times


def test_a_change_to_a_top_listing_shows_in_the_slot_at_once(client, seller, clock, search_facts):
    cars = [factories.make_listing(seller) for _ in range(2)]
    promotions.fulfil(cars[0].id, "listing_top_1", "test:1")
    promotions.fulfil(cars[1].id, "listing_top_3", "test:2")
    db.session.commit()
    slot = re.compile(r'<section class="top-slot.*?</section>', re.S)
    assert sorted(top_ids(search(client))) == sorted(car.id for car in cars)

    cars[0].title = "Toyota Camry, one owner"
    db.session.commit()
    html = search(client)
    assert "Toyota Camry, one owner" in slot.search(html).group(0)

    cars[1].status = "reserved"  # still on sale, and the card says so
    db.session.commit()
    assert "Reserved" in slot.search(search(client)).group(0)
    cars[1].status = "sold"
    db.session.commit()
    assert top_ids(search(client)) == [cars[0].id]

    clock.move(days=1, minutes=1)  # the first car's day of Top is over: no write, only time
    assert top_ids(search(client)) == []


def test_a_top_slot_shown_before_costs_the_search_page_no_statement(client, seller, app, monkeypatch):
    # The shared caches on, as in production (the catalogue's gives the cards' city names).
    monkeypatch.setitem(app.config, "CACHE_SEARCH_FACTS_SECONDS", 60)
    monkeypatch.setitem(app.config, "CACHE_CATALOG_SECONDS", 60)
    cache.clear()
    cars = [factories.make_listing(seller) for _ in range(8)]
    for n, car in enumerate(cars[:6]):
        promotions.fulfil(car.id, "listing_top_7", f"test:{n}")
    db.session.commit()
    search(client)  # the ring, and the cards of this page and the next ones, are read once
    shown = set()
    with count_statements() as with_top:
        for _ in range(4):
            slot = top_ids(search(client))
            assert len(slot) == 3
            shown.update(slot)
    monkeypatch.setitem(app.config, "TOP_SLOTS", 0)
    with count_statements() as without_top:
        assert top_ids(search(client)) == []
    cache.clear()
    assert shown == {car.id for car in cars[:6]}  # the slot went round
    assert len(with_top) == 4 * len(without_top), "the Top slot asked the database again"


def test_top_and_highlight_purchases_stack_and_a_refund_takes_back_the_unused_time(client, seller):
    car = factories.make_listing(seller)
    start = utcnow()
    first = promotions.fulfil(car.id, "listing_top_1", "line:1")
    assert promotions.fulfil(car.id, "listing_top_1", "line:1").id == first.id  # a repeated callback
    second = promotions.fulfil(car.id, "listing_top_3", "line:2")
    db.session.commit()
    car = fresh(car)
    assert second.starts_at == first.ends_at
    assert timedelta(days=4) <= car.top_until - start < timedelta(days=4, minutes=1)

    assert promotions.cancel("line:1") and not promotions.cancel("line:1")
    db.session.commit()
    car = fresh(car)
    assert timedelta(days=3) <= car.top_until - start < timedelta(days=3, minutes=1)
    assert promotions.cancel("line:2")
    db.session.commit()
    assert fresh(car).top_until is None and not fresh(car).is_top

    promotions.fulfil(car.id, "listing_highlight_7", "line:3")
    db.session.commit()
    html = search(client)
    assert re.search(rf'listing-card-highlight" data-listing-id="{car.id}"', html)
    assert top_ids(html) == []


def test_a_paid_raise_puts_the_listing_first_at_once(client, seller, clock):
    car = factories.make_listing(seller)
    clock.move(minutes=10)
    newer = factories.make_listing(seller)
    promotions.fulfil(car.id, "listing_raise", "line:9")
    db.session.commit()
    assert result_ids(search(client))[:2] == [car.id, newer.id]
    assert fresh(car).free_raised_at is None  # the free raise is still the owner's


def test_the_owner_sees_what_runs_until_when_others_see_only_the_mark(app, client, auth, seller):
    car = factories.make_listing(seller)
    promotions.fulfil(car.id, "listing_top_7", "line:1")
    promotions.fulfil(car.id, "listing_highlight_7", "line:2")
    db.session.commit()
    auth.login("seller")
    page = client.get(f"/listings/{car.id}").get_data(as_text=True)
    assert 'id="top-until"' in page and 'id="highlight-until"' in page and 'id="expires-at"' in page
    assert "Highlighted until" in page and "On sale until" in page
    mine = client.get("/listings/mine").get_data(as_text=True)
    assert 'class="small top-until"' in mine and "Highlighted until" in mine and "On sale until" in mine
    guest = app.test_client().get(f"/listings/{car.id}").get_data(as_text=True)
    assert 'id="promote"' not in guest and "Highlighted until" not in guest


def test_prices_are_configured_in_tenge(app):
    assert promotions.price_kzt("listing_top_7") == app.config["PROMOTION_PRICES"]["top_7"]
    codes = [code for code, *_ in promotions.price_list()]
    assert codes == ["listing_top_1", "listing_top_3", "listing_top_7", "listing_highlight_7", "listing_raise"]


def test_top_bought_through_payments_starts_on_the_paid_callback_and_stops_on_a_refund(app, client, auth, seller):
    from app.models.payment import Order
    from tests.conftest import csrf_token

    car = factories.make_listing(seller)
    factories.make_user("admin", role="admin")
    auth.login("seller")
    page = client.get(f"/listings/{car.id}").get_data(as_text=True)
    assert 'id="buy-form"' in page and "Top for 3 days — 5,000" in page
    form_token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"csrf_token": page_token(client, f"/listings/{car.id}"), "form_token": form_token}
    ordered = client.post(f"/listings/{car.id}/promote", data={**data, "product": "listing_top_3"})
    assert re.search(r"/payments/orders/\d+$", ordered.location)
    again = client.post(f"/listings/{car.id}/promote", data={**data, "product": "listing_top_3"})
    assert again.location == ordered.location  # a double submit makes one order
    order = db.session.scalar(db.select(Order))
    assert [(line.product, line.target_id, line.amount) for line in order.lines] == [("listing_top_3", car.id, 500_000)]
    assert not fresh(car).is_top  # ordered, not paid: nothing yet

    checkout = f"/payments/orders/{order.id}"
    sandbox = client.post(f"{checkout}/pay", data={"csrf_token": csrf_token(client, checkout)}).location
    client.post(sandbox, data={"csrf_token": csrf_token(client, sandbox), "outcome": "paid"})
    assert fresh(car).is_top
    assert top_ids(search(client)) == [car.id]

    auth.logout()
    auth.login("admin")
    admin_page = "/payments/admin/orders"
    client.post(f"{admin_page}/{order.id}/refund", data={"csrf_token": csrf_token(client, admin_page)})
    assert not fresh(car).is_top and top_ids(search(client)) == []


def test_the_buy_form_refuses_others_and_hostile_input(client, auth, seller):
    car = factories.make_listing(seller)
    factories.make_user("buyer")
    auth.login("buyer")
    assert post(client, car, "promote", product="listing_top_3").status_code == 403
    auth.logout()
    auth.login("seller")
    for product in ("listing_top_99", "", "\x00", "9" * 30):
        assert post(client, car, "promote", product=product).status_code == 400
    tokens = form_tokens(client, f"/listings/{car.id}")  # the page was opened while on sale
    car.status = "sold"
    db.session.commit()
    refused = client.post(f"/listings/{car.id}/promote", data={**tokens, "product": "listing_top_3"})
    assert "Only a listing on sale can be promoted." in client.get(refused.location).get_data(as_text=True)
