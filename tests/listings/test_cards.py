"""Listing cards come from the card cache (app/listings/cards.py): whatever changes on a car,
its seller or the clock shows on the next page, and the favourite button stays the viewer's."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask_babel import force_locale

from app.core.time import utcnow
from app.extensions import db
from app.i18n.formats import timeago, timeago_key
from app.models import Review
from tests import factories


def card(client, listing_id: int, path: str = "/listings/") -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(rf'<article[^>]*data-listing-id="{listing_id}".*?</article>', page, re.S)
    assert found, f"no card of listing {listing_id} on {path}"
    return found.group(0)


def test_search_pages_reuse_the_rendered_cards(app, client):
    seller = factories.make_user("seller")
    for model in ("Camry", "RAV4", "Vesta"):
        factories.make_listing(seller, model=model)
    cards = app.extensions["listing_cards"]
    cards.entries.clear()
    first = client.get("/listings/").get_data(as_text=True)
    assert len(cards.entries) == 3
    assert client.get("/listings/").get_data(as_text=True) == first
    assert len(cards.entries) == 3  # the second page took all three from the cache


def test_a_card_shows_what_changed_on_the_car_and_its_seller(client):
    seller = factories.make_user("seller")
    listing = factories.make_listing(seller, price=12_500_000)
    before = card(client, listing.id)
    assert "12,500,000\u00a0₸" in before and "Reserved" not in before and "★" not in before
    listing.price, listing.status = 11_900_000, "reserved"
    db.session.add(Review(author_id=factories.make_user("buyer").id, seller_id=seller.id, rating=5, text="ok"))
    db.session.commit()
    after = card(client, listing.id)
    assert "11,900,000\u00a0₸" in after and "12,500,000" not in after
    assert "Reserved" in after and "★ 5.0 (1)" in after


def test_the_favourite_button_is_the_viewers_own(client, auth):
    from app.listings.favorites import toggle_favourite

    listing = factories.make_listing(factories.make_user("seller"))
    fan = factories.make_user("fan")
    factories.make_user("buyer")
    toggle_favourite(fan, listing)
    db.session.commit()
    assert "Sign in to save favourites" in card(client, listing.id)
    auth.login("fan")
    assert 'aria-pressed="true"' in card(client, listing.id)
    auth.logout()
    auth.login("buyer")
    mine = card(client, listing.id)
    assert 'aria-pressed="false"' in mine and "Sign in to save favourites" not in mine


def test_each_card_of_both_grids_gets_its_own_favourite_button(client, auth):
    """The viewer's part is rendered once per page and shared by the Top slot and the results."""
    from app.listings import promotions
    from app.listings.favorites import toggle_favourite

    seller = factories.make_user("seller")
    top, other = factories.make_listing(seller), factories.make_listing(seller, model="RAV4")
    promotions.fulfil(top.id, "listing_top_1", "test:1")
    fan = factories.make_user("fan")
    toggle_favourite(fan, top)
    db.session.commit()
    auth.login("fan")
    page = client.get("/listings/").get_data(as_text=True)
    forms = re.findall(r'action="/listings/(\d+)/favorite".*?aria-pressed="(\w+)"', page, re.S)
    assert sorted(forms) == sorted([(str(top.id), "true"), (str(top.id), "true"), (str(other.id), "false")])


def test_the_relative_time_on_a_card_moves_with_the_clock(client, clock):
    listing = factories.make_listing(factories.make_user("seller"))
    listing.bumped_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    assert "5 minutes ago" in card(client, listing.id)
    clock.move(hours=2)
    assert "2 hours ago" in card(client, listing.id)


def test_a_card_is_in_the_pages_language(client):
    listing = factories.make_listing(factories.make_user("seller"), mileage_km=84000)
    assert "84,000 km" in card(client, listing.id, "/listings/?lang=en")
    assert "84\u00a0000 км" in card(client, listing.id, "/listings/?lang=ru")
    assert "84,000 km" in card(client, listing.id, "/listings/?lang=en")


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_equal_timeago_keys_always_mean_equal_texts(app, clock, language):
    """The card cache trusts timeago_key: wherever two moments share a key, Babel's text is
    the same. Checked at every step around each unit's edges, in the past and the future."""
    edges = [0, 1, 60, 90, 3600, 5400, 86400, 129600, 6 * 86400 + 43200, 7 * 86400]
    seconds = sorted({edge + step / 4 for edge in edges for step in range(-8, 9)} | {-s for s in range(0, 200, 7)})
    moment = utcnow()
    with app.test_request_context(), force_locale(language):
        texts: dict[object, str] = {}
        for offset in seconds:
            value = moment - timedelta(seconds=offset)
            key, text = timeago_key(value), timeago(value)
            assert texts.setdefault(key, text) == text, f"{offset} s: key {key} also meant {texts[key]!r}"
