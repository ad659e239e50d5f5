"""Chat on a 390×844 phone: a buyer writes from a listing's sticky bar, the seller answers on
their phone, both see the other's message live; the composer stays on the screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.chat.test_browser import sign_in

pytestmark = pytest.mark.browser


def test_two_phones_chat_about_a_listing(new_page):
    seller = factories.make_user("seller", display_name="Sam Seller")
    factories.make_user("buyer", display_name="Bob Buyer")
    car = factories.make_listing(seller)
    buyer, owner = new_page(phone=True), new_page(phone=True)
    sign_in(buyer, "buyer")
    sign_in(owner, "seller")

    buyer.goto(f"/listings/{car.id}")
    buyer.locator("#bar-write").click()
    composer = buyer.get_by_label("Your message")
    expect(composer).to_be_in_viewport()
    composer.fill("Hello! Is the Camry still for sale?")
    buyer.get_by_role("button", name="Send", exact=True).click()
    expect(buyer.locator(".chat-msg.mine", has_text="Is the Camry still for sale?")).to_be_visible()

    owner.goto("/chat/buyer")
    expect(owner.locator(".chat-msg.theirs", has_text="Is the Camry still for sale?")).to_be_visible()
    owner.get_by_label("Your message").fill("Yes, come and see it tomorrow.")
    owner.get_by_role("button", name="Send", exact=True).click()
    expect(buyer.locator(".chat-msg.theirs", has_text="come and see it tomorrow")).to_be_visible()
    expect(buyer.get_by_role("button", name="Send", exact=True)).to_be_in_viewport()
    assert buyer.errors == [] and owner.errors == []
