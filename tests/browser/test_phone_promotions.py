"""On a 390×844 phone: the owner's listing page and /listings/mine show what is promoted and
until when, the free raise and the renewal, without sideways scrolling; a searcher sees the
Top slot above the results. Screenshots are kept in pytest's tmp_path for a human look."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.listings import promotions
from tests import factories
from tests.listings.test_browser import sign_in

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_the_owner_sees_promotions_and_time_on_sale_on_a_phone(new_page, tmp_path):
    seller = factories.make_user("seller")
    car = factories.make_listing(seller, description="Pearl white, one owner.")
    expired = factories.make_listing(seller, model="RAV4", status="expired")
    promotions.fulfil(car.id, "listing_top_7", "test:top")
    promotions.fulfil(car.id, "listing_highlight_7", "test:highlight")
    db.session.commit()

    page = new_page(phone=True)
    sign_in(page, "seller")
    page.goto(f"/listings/{car.id}")
    page.locator("#promote").scroll_into_view_if_needed()
    expect(page.locator("#top-until")).to_contain_text("In Top until")
    expect(page.locator("#highlight-until")).to_be_visible()
    expect(page.locator("#next-free-raise")).to_contain_text("Next free raise:")
    expect(page.locator("#expires-at")).to_contain_text("On sale until")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=tmp_path / "listing-owner-phone.png", full_page=True)

    page.goto("/listings/mine")
    expect(page.locator(".top-until")).to_contain_text("In Top until")
    expect(page.locator(".highlight-until")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=tmp_path / "mine-phone.png", full_page=True)

    # The expired car: renewed in one press from its page, back on sale.
    page.get_by_role("link", name="Renew").click()
    expect(page.locator("#status-banner")).to_contain_text("This car is no longer on sale.")
    page.locator("#renew-button").click()
    expect(page.locator("body")).to_contain_text("Renewed: your listing stays on sale until")
    expect(page.locator("#status-banner")).to_have_count(0)
    assert page.url.endswith(f"/listings/{expired.id}#renew")

    searcher = new_page(phone=True)
    searcher.goto("/listings/")
    expect(searcher.locator(f"#top-slot [data-listing-id='{car.id}'] .top-mark")).to_have_text("Top")
    expect(searcher.locator(f"#top-slot [data-listing-id='{car.id}']")).to_have_class(
        "card h-100 shadow-sm card-hover listing-card listing-card-highlight"
    )
    assert searcher.evaluate(NO_SIDEWAYS_SCROLL)
    searcher.screenshot(path=tmp_path / "search-phone.png")
    assert page.errors == [] and searcher.errors == []
