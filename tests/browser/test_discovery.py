"""Sharing, comparing and the deal rating in Chromium, on a 390×844 phone and a desktop."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.listings.deals import rate_deals
from tests import factories

pytestmark = pytest.mark.browser

RECORD_SHARE = """
window.sharedItems = [];
Object.defineProperty(navigator, "share", {
  configurable: true,
  value: (data) => { window.sharedItems.push(data); return Promise.resolve(); },
});
"""


def test_share_copies_the_link_on_a_desktop(new_page, live_server):
    car = factories.make_listing(factories.make_user("seller"))
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(f"/listings/{car.id}")
    page.get_by_role("button", name="Share").click()
    expect(page.locator(".share-status")).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == f"http://localhost:5000/listings/{car.id}"
    assert page.errors == []


def test_share_opens_the_phones_share_sheet(new_page):
    car = factories.make_listing(factories.make_user("seller"))
    page = new_page(phone=True)
    page.add_init_script(RECORD_SHARE)
    page.goto(f"/listings/{car.id}")
    page.get_by_role("button", name="Share").click()
    page.wait_for_function("window.sharedItems.length === 1")
    assert page.evaluate("window.sharedItems") == [
        {"title": "Toyota Camry 2018", "url": f"http://localhost:5000/listings/{car.id}"}
    ]
    assert page.errors == []


def test_compare_on_a_phone_scrolls_sideways_and_refuses_a_fifth(new_page):
    seller = factories.make_user("seller")
    cars = [factories.make_listing(seller, year=2014 + n) for n in range(5)]
    page = new_page(phone=True)
    for car in cars:
        page.goto(f"/listings/{car.id}")
        page.locator("#compare-add").click()
        page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_contain_text("You can compare up to 4 cars")
    expect(page.locator("#compare-add")).to_be_visible()  # the fifth is still not in it
    page.locator("#nav-compare").evaluate("link => link.click()")  # inside the collapsed menu
    page.wait_for_url("**/listings/compare")
    expect(page.locator(".compare-car")).to_have_count(4)
    year_row = page.locator("tr.compare-differs", has=page.get_by_role("rowheader", name="Year"))
    expect(year_row).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the page itself never scrolls sideways
    scroller = page.locator(".compare-scroll")
    assert scroller.evaluate("box => box.scrollWidth > box.clientWidth")
    scroller.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    expect(page.get_by_role("rowheader", name="Price").first).to_be_in_viewport()  # labels stay in view
    page.locator(".compare-remove").first.click()
    expect(page.locator(".compare-car")).to_have_count(3)
    assert page.errors == []


def test_a_tap_shows_why_a_price_is_good(new_page):
    seller = factories.make_user("seller")
    cheap = factories.make_listing(seller, price=8_000_000)
    for _ in range(5):
        factories.make_listing(seller, price=10_000_000)
    rate_deals()
    page = new_page(phone=True)
    page.goto("/listings/?deal=good")
    card = page.locator(f'[data-listing-id="{cheap.id}"]')
    info = card.locator(".deal-info")
    expect(info).to_be_hidden()
    card.get_by_role("button", name="Good price").tap()
    expect(info).to_be_visible()
    expect(info).to_contain_text("Compared with 5 similar cars on sale.")
    page.locator("h1").first.tap()
    expect(info).to_be_hidden()
    assert page.errors == []
