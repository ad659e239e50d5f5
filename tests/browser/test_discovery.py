"""Sharing in Chromium, on a 390×844 phone and a desktop."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

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
