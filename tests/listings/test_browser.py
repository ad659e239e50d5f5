"""In a real Chromium: a seller lists a car with two photos; a buyer finds it through the
filters and saves it to favourites."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import factories, images

pytestmark = pytest.mark.browser


def sign_in(page, username: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(factories.DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def test_seller_lists_a_car_with_photos_and_a_buyer_saves_it(new_page):
    factories.make_catalog()
    factories.make_user("seller")
    factories.make_user("buyer")

    seller = new_page()
    sign_in(seller, "seller")
    seller.get_by_role("link", name="Sell a car").click()
    seller.get_by_label("Make", exact=True).select_option(label="Toyota")
    seller.get_by_label("Model", exact=True).select_option(label="Camry")  # filled by catalog.js
    seller.get_by_label("Generation", exact=True).select_option(label="XV70 (2017–…)")
    seller.get_by_label("Year", exact=True).fill("2019")
    seller.get_by_label("Mileage, km").fill("64000")
    seller.get_by_label("Price", exact=True).fill("13900000")
    seller.get_by_label("Body", exact=True).select_option(label="Sedan")
    seller.get_by_label("Fuel", exact=True).select_option(label="Petrol")
    seller.get_by_label("Transmission", exact=True).select_option(label="Automatic")
    seller.get_by_label("Drive", exact=True).select_option(label="Front-wheel drive")
    seller.get_by_label("Steering", exact=True).select_option(label="Left-hand drive")
    seller.get_by_label("Condition", exact=True).select_option(label="Used")
    seller.get_by_label("Region", exact=True).select_option(label="Almaty")
    seller.get_by_label("City", exact=True).select_option(label="Kaskelen")
    seller.get_by_label("Description").fill("Pearl white, one owner.")
    seller.get_by_role("button", name="Save and add photos").click()
    seller.wait_for_url("**/edit#photos")  # waits for the load event: listings.js is running
    expect(seller.locator("body")).to_contain_text("Your draft is saved")
    expect(seller.locator("#publish-button")).to_be_disabled()

    # Chosen files upload at once, each with its own tile, no second click.
    seller.locator("#photo-input").set_input_files(
        [
            {"name": "front.jpg", "mimeType": "image/jpeg", "buffer": images.jpeg_with_gps()},
            {"name": "side.png", "mimeType": "image/png", "buffer": images.png(size=(640, 480))},
        ]
    )
    expect(seller.locator("#photo-list .photo-item")).to_have_count(2)
    expect(seller.locator("#photo-queue li")).to_have_count(0)
    assert seller.locator(".photo-cover-badge").count() == 1
    assert seller.locator("#photo-errors").is_hidden()
    # Make the second photo the cover.
    second_id = seller.locator("#photo-list .photo-item").nth(1).get_attribute("data-photo-id")
    seller.locator("#photo-list .photo-item").nth(1).get_by_role("button", name="Make cover").click()
    expect(seller.locator("#photo-list .photo-item").first).to_have_attribute("data-photo-id", second_id)
    expect(seller.locator("#photo-list .photo-item").first.locator(".photo-cover-badge")).to_have_count(1)
    expect(seller.locator("#publish-button")).to_be_enabled()
    seller.get_by_role("button", name="Publish").click()
    expect(seller.locator("body")).to_contain_text("Your listing is published.")
    expect(seller.locator("#gallery .carousel-item")).to_have_count(2)
    assert seller.errors == []

    buyer = new_page()
    sign_in(buyer, "buyer")
    buyer.goto("/listings/")
    buyer.wait_for_load_state()
    buyer.get_by_label("Make", exact=True).select_option(label="Toyota")
    buyer.get_by_label("Model", exact=True).select_option(label="Camry")
    buyer.get_by_label("Price to, ₸").fill("15000000")
    buyer.get_by_label("With photos only").check()
    buyer.get_by_role("button", name="Show cars").click()
    buyer.wait_for_url("**photos=1**")
    card = buyer.locator(".listing-card", has_text="Toyota Camry 2019")
    expect(card).to_have_count(1)
    assert "Kaskelen" in card.inner_text()
    assert "photos=1" in buyer.url and "price_to=15000000" in buyer.url
    card.get_by_title("Add to favourites").click()
    buyer.wait_for_selector(".listing-card .favorite-button[aria-pressed='true']")

    card.locator(".listing-title").click()
    buyer.wait_for_url(re.compile(r"/listings/\d+$"))
    buyer.wait_for_load_state()
    buyer.locator(".gallery-open").first.click()
    buyer.locator("#viewer.show").wait_for()
    buyer.keyboard.press("ArrowRight")
    expect(buyer.locator("#viewer-carousel .carousel-item").nth(1)).to_have_class(re.compile(r"\bactive\b"))
    buyer.keyboard.press("Escape")

    buyer.goto("/favorites")
    expect(buyer.locator(".listing-card", has_text="Toyota Camry 2019")).to_have_count(1)
    assert buyer.errors == []
