"""In a real Chromium, end to end: the owner orders Top for their car, pays on the sandbox
provider's page, and a searcher finds the car in the Top slot with its mark."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.listings.test_browser import sign_in

pytestmark = pytest.mark.browser


def test_buying_top_through_the_sandbox_puts_the_car_in_the_top_slot(new_page):
    seller = factories.make_user("seller")
    car = factories.make_listing(seller)
    factories.make_listing(seller, model="RAV4")

    owner = new_page()
    sign_in(owner, "seller")
    owner.goto(f"/listings/{car.id}")
    owner.get_by_label("Top for 3 days", exact=False).check()
    owner.locator("#buy-button").click()
    owner.wait_for_url("**/payments/orders/*")
    expect(owner.locator("#checkout-pay")).to_contain_text("5,000")
    owner.locator("#checkout-pay").click()
    owner.locator("#sandbox-pay").click()
    expect(owner.locator('[data-status="paid"]')).to_be_visible()
    expect(owner.locator("[data-fulfilled]")).to_be_visible()

    searcher = new_page()
    searcher.goto(f"/listings/?brand={car.brand_id}")
    expect(searcher.locator(f"#top-slot [data-listing-id='{car.id}'] .top-mark")).to_have_text("Top")
    owner.goto(f"/listings/{car.id}")
    expect(owner.locator("#top-until")).to_contain_text("In Top until")
    assert owner.errors == [] and searcher.errors == []
