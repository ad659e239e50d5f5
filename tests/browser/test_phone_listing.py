"""On a 390×844 phone: the listing's price, title and key specs are on the first screen, and
a sticky bar keeps Write (opens the chat with the seller) and Call (reveals the phone to a
signed-in member, counted for the seller) in reach."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Listing
from tests import factories
from tests.listings.test_browser import sign_in

pytestmark = pytest.mark.browser


def test_the_sticky_bar_writes_and_calls_the_seller(new_page):
    seller = factories.make_user("seller", phone="+7 701 555 44 33", phone_visible=True)
    factories.make_user("buyer")
    car = factories.make_listing(seller)
    page = new_page(phone=True)
    sign_in(page, "buyer")
    page.goto(f"/listings/{car.id}")
    for selector in ("#listing-title", "#listing-price", "#key-specs", "#bar-write", "#bar-call"):
        expect(page.locator(selector)).to_be_in_viewport()
    expect(page.locator("#key-specs")).to_contain_text("2018 · 85,000 km · Almaty")
    # The bar stays put while the page scrolls.
    page.mouse.wheel(0, 1500)
    expect(page.locator("#bar-call")).to_be_in_viewport()
    assert "555 44 33" not in page.content()

    page.locator("#bar-call").click()
    expect(page.locator("#bar-call")).to_have_text("+7 701 555 44 33")
    expect(page.locator("#bar-call")).to_have_attribute("href", "tel:+77015554433")
    db.session.expire_all()
    assert db.session.get(Listing, car.id).phone_reveals == 1

    page.locator("#bar-write").click()
    page.wait_for_url("**/chat/seller?listing=*")
    expect(page.locator("#chat-input")).to_be_visible()
    assert page.errors == []


def test_a_guest_tapping_call_is_asked_to_sign_in(new_page):
    seller = factories.make_user("seller", phone="+7 701 555 44 33", phone_visible=True)
    car = factories.make_listing(seller)
    page = new_page(phone=True)
    page.goto(f"/listings/{car.id}")
    page.locator("#bar-call").click()
    page.wait_for_url(re.compile(r"/auth/login\?next=/listings/\d+"))
    expect(page.get_by_label("Username or email")).to_be_focused()
