"""On a 390×844 phone: a seller fills the sell form (the generation list follows the year),
photos upload as soon as they are chosen with a bar each, a failed one is retried, a wrong
one removed, and the draft is published once it has a photo."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories, images
from tests.listings.test_browser import sign_in

pytestmark = pytest.mark.browser


def test_a_phone_seller_lists_a_car_with_photos_and_publishes_it(new_page):
    factories.make_catalog()
    factories.make_user("seller")
    page = new_page(phone=True)
    sign_in(page, "seller")
    page.goto("/listings/new")
    page.get_by_label("Make", exact=True).select_option(label="Toyota")
    page.get_by_label("Model", exact=True).select_option(label="Camry")
    generation = page.get_by_label("Generation", exact=True)
    expect(generation.locator("option", has_text="XV50")).to_be_enabled()
    page.get_by_label("Year", exact=True).fill("2019")
    # A 2019 car cannot be an XV50 (2011–2017): the option goes away, XV70 stays.
    expect(generation.locator("option", has_text="XV50")).to_be_disabled()
    generation.select_option(label="XV70 (2017–…)")
    page.get_by_label("Mileage, km").fill("64000")
    page.get_by_label("Price", exact=True).fill("13900000")
    page.get_by_role("button", name="Save and add photos").click()
    # Nothing was pre-chosen: the form comes back with the reasons and what was typed.
    expect(page.locator("body")).to_contain_text("Choose the body.")
    expect(page.get_by_label("Price", exact=True)).to_have_value("13900000")
    expect(page.get_by_label("Model", exact=True).locator("option:checked")).to_have_text("Camry")
    for label, option in (
        ("Body", "Sedan"),
        ("Fuel", "Hybrid"),
        ("Transmission", "Automatic"),
        ("Drive", "Front-wheel drive"),
        ("Steering", "Left-hand drive"),
        ("Condition", "Used"),
        ("Region", "Almaty"),
    ):
        page.get_by_label(label, exact=True).select_option(label=option)
    page.get_by_label("City", exact=True).select_option(label="Almaty")
    page.get_by_role("button", name="Save and add photos").click()
    page.wait_for_url("**/edit#photos")
    expect(page.locator("#publish-button")).to_be_disabled()

    # The first upload attempt of front.jpg fails on the network; Retry sends it again.
    attempts = []

    def flaky(route):
        attempts.append(1)
        route.abort() if len(attempts) == 1 else route.continue_()

    page.route("**/photos", flaky)
    page.locator("#photo-input").set_input_files(
        [
            {"name": "front.jpg", "mimeType": "image/jpeg", "buffer": images.jpeg_with_gps()},
            {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"this is not a picture"},
            {"name": "side.png", "mimeType": "image/png", "buffer": images.png(size=(640, 480))},
        ]
    )
    queue = page.locator("#photo-queue li")
    failed_front = queue.filter(has_text="front.jpg")
    expect(failed_front).to_contain_text("Upload failed")
    expect(failed_front.locator(".progress")).to_have_attribute("aria-label", "Upload progress of front.jpg")
    bad = queue.filter(has_text="notes.jpg")
    expect(bad.get_by_role("button", name="Retry")).to_be_visible()
    expect(bad.locator(".photo-upload-status")).not_to_have_text("Upload failed. Please try again.")  # the reason
    expect(page.locator("#photo-list .photo-item")).to_have_count(1)  # side.png went through
    expect(page.locator("#publish-button")).to_be_enabled()
    failed_front.get_by_role("button", name="Retry").click()
    expect(page.locator("#photo-list .photo-item")).to_have_count(2)
    bad.get_by_role("button", name="Remove").click()
    expect(queue).to_have_count(0)

    page.get_by_role("button", name="Publish").click()
    expect(page.locator("body")).to_contain_text("Your listing is published.")
    expect(page.locator("#gallery .carousel-item")).to_have_count(2)
    assert page.errors == []
