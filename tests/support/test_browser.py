"""Issue 17's new pages on a 390×844 phone, driven as people use them: a buyer reviews the
car they talked about, the listing page shows how fast the seller answers, a guest writes
to support and a moderator answers from the support desk; nothing is wider than the screen.
With SCREENSHOTS=<dir> each page is also saved there to look at."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.core.time import utcnow
from app.profile.activity import refresh_response_times
from tests import factories
from tests.listings.test_browser import sign_in
from tests.profile.helpers import say

pytestmark = pytest.mark.browser


def fits_the_phone(page, name: str) -> None:
    """No sideways scrolling at 390 px; saved as `name`.png when SCREENSHOTS is set."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, f"{name} is wider than the phone"
    if folder := os.environ.get("SCREENSHOTS"):
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
    assert page.errors == []


def test_a_buyer_reviews_the_car_they_talked_about_on_a_phone(new_page):
    seller = factories.make_user("seller", display_name="Marat Motors", created_at=datetime(2024, 3, 1))
    buyer = factories.make_user("buyer", display_name="Aigerim")
    car = factories.make_listing(seller)
    say(buyer, seller, "Is the Camry still for sale?", listing=car)
    say(seller, buyer, "Yes, come and see it on Saturday.")
    for name in ("first", "second", "third"):
        asked = utcnow() - timedelta(days=3)
        other = factories.make_user(name)
        say(other, seller, "Hello, is it available?", at=asked)
        say(seller, other, "Yes.", at=asked + timedelta(minutes=15))
    refresh_response_times()

    page = new_page(phone=True)
    sign_in(page, "buyer")
    page.goto(f"/listings/{car.id}")
    expect(page.locator("#seller-card")).to_contain_text("On Garage since 2024")
    expect(page.locator("#seller-card")).to_contain_text("Usually answers within an hour")
    fits_the_phone(page, "listing-seller-activity")

    page.goto("/u/seller")
    page.get_by_label("Which car").select_option(label="Toyota Camry 2018")
    page.get_by_label("★★★★★", exact=True).check()
    page.get_by_label("Your review").fill("Honest seller, the car was exactly as described.")
    page.get_by_role("button", name="Publish review").click()
    review = page.locator("article.review").first
    expect(review).to_contain_text("About the car: Toyota Camry 2018")
    expect(review).to_contain_text("Honest seller")
    fits_the_phone(page, "profile-review")

    seller_page = new_page(phone=True)
    sign_in(seller_page, "seller")
    seller_page.goto("/u/seller")
    seller_page.get_by_text("Answer publicly").click()
    seller_page.get_by_label("Your answer (once; everyone sees it)").fill("Thank you, enjoy the car!")
    seller_page.get_by_role("button", name="Publish answer").click()
    expect(seller_page.locator(".review-reply")).to_contain_text("Thank you, enjoy the car!")
    expect(seller_page.get_by_text("Answer publicly")).to_have_count(0)
    fits_the_phone(seller_page, "profile-review-answered")


def test_a_guest_writes_to_support_and_a_moderator_answers_on_a_phone(new_page):
    factories.make_user("marat", role="moderator")
    guest = new_page(phone=True)
    guest.goto("/")
    guest.get_by_role("link", name="Support").click()
    guest.get_by_label("Your name").fill("Aliya")
    guest.get_by_label("Email for our answer").fill("aliya@example.kz")
    guest.get_by_label("Subject").fill("Cannot publish my car")
    guest.get_by_label("Your message").fill("The Publish button does nothing on my phone.")
    fits_the_phone(guest, "support-contact")
    guest.get_by_role("button", name="Send to support").click()
    expect(guest.locator("#guest-link")).to_contain_text("Keep this page's address")
    expect(guest.locator("#ticket-status")).to_have_text("Waiting for an answer")
    fits_the_phone(guest, "support-guest-ticket")
    link = guest.url

    staff = new_page(phone=True)
    sign_in(staff, "marat")
    staff.goto("/admin/support/")
    fits_the_phone(staff, "support-desk")
    staff.get_by_role("link", name="Cannot publish my car").click()
    staff.get_by_label("Answer", exact=True).fill("Add a photo first, then press Publish.")
    staff.get_by_role("button", name="Send answer").click()
    expect(staff.locator("#ticket-status")).to_have_text("Answered")
    fits_the_phone(staff, "support-desk-ticket")

    guest.goto(link)
    expect(guest.locator(".support-staff")).to_contain_text("Add a photo first")
