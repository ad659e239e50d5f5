"""Search on a 390×844 phone: the first car is on the first screen; "Filters (n)" opens the
panel, whose button counts the matching cars live; sort applies at once; pages are numbered
while the total is small and exact. On a desktop the filters stay in the sidebar."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def cars(app):
    factories.make_catalog()
    seller = factories.make_user("seller")
    made = [factories.make_listing(seller, model="Camry", price=10_000_000 + i * 100_000) for i in range(23)]
    made += [factories.make_listing(seller, model="Vesta", price=5_000_000 + i, city="Astana") for i in range(3)]
    return made


def test_the_filter_drawer_counts_live_and_applies(new_page, cars):
    page = new_page(phone=True)
    page.goto("/listings/")
    first = page.locator(".listing-card").first
    expect(first).to_be_in_viewport()
    box = first.bounding_box()
    assert box["y"] + box["height"] <= 844, box  # the whole first row on the first screen
    expect(page.locator("#filters-panel .listing-filters")).not_to_be_in_viewport()

    page.get_by_role("button", name="Filters").click()
    panel = page.locator("#filters-panel")
    expect(panel).to_have_class(re.compile(r"\bshow\b"))
    expect(panel.locator("#f-submit")).to_have_text("Show 26 cars")
    panel.get_by_label("Make", exact=True).select_option(label="Lada")
    expect(panel.locator("#f-submit")).to_have_text("Show 3 cars")
    panel.get_by_label("Price from, ₸").fill("5000002")
    expect(panel.locator("#f-submit")).to_have_text("Show 1 car")
    panel.locator("#f-submit").click()
    page.wait_for_url(re.compile(r"brand=\d+"))
    expect(page.locator(".listing-card")).to_have_count(1)
    expect(page.get_by_role("button", name="Filters (2)")).to_be_visible()
    assert page.errors == []


def test_sort_applies_at_once_and_pages_have_numbers(new_page, cars):
    page = new_page(phone=True)
    page.goto("/listings/?brand=" + str(cars[0].brand_id))
    expect(page.locator("#sort-form .sort-submit")).to_be_hidden()
    page.get_by_label("Sort").select_option(label="Cheapest first")
    page.wait_for_url(re.compile(r"sort=price_asc"))
    expect(page.locator(".listing-price").first).to_contain_text("10,000,000")
    nav = page.get_by_role("navigation", name="Pages")
    expect(nav.locator(".page-item.active")).to_have_text("1")
    nav.get_by_role("link", name="Page 2").click()
    expect(page.locator(".listing-card")).to_have_count(3)
    expect(nav.locator(".page-item.active")).to_have_text("2")
    expect(page.locator(".listing-price").last).to_contain_text("12,200,000")
    nav.get_by_role("link", name="« Previous").click()
    expect(nav.locator(".page-item.active")).to_have_text("1")
    expect(page.locator(".listing-card")).to_have_count(20)
    assert page.errors == []


def test_the_desktop_keeps_the_sidebar(new_page, cars):
    page = new_page()
    page.goto("/listings/")
    expect(page.locator(".listing-filters")).to_be_visible()
    expect(page.locator("#filters-button")).to_be_hidden()
    page.get_by_label("Sort").select_option(label="Most expensive first")
    page.wait_for_url(re.compile(r"sort=price_desc"))
    expect(page.locator(".listing-price").first).to_contain_text("12,200,000")
