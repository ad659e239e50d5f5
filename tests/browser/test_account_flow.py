"""A person registers, signs in and edits their profile in a real Chromium."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_register_login_and_edit_profile(new_page):
    page = new_page()
    page.goto("/")
    page.get_by_role("link", name="Register").click()
    page.get_by_label("Username").fill("steppe_rider")
    page.get_by_label("Email").fill("rider@example.com")
    page.get_by_label("Password", exact=True).fill("long-enough-1")
    page.get_by_label("Repeat password").fill("long-enough-1")
    page.get_by_role("button", name="Create account").click()
    # Signed in at once, with the confirmation banner on every page until confirmed.
    expect(page.locator("body")).to_contain_text("Welcome to Garage, steppe_rider!")
    expect(page.locator("#confirm-banner")).to_contain_text("We sent a confirmation mail to rider@example.com")
    page.locator("#confirm-banner").get_by_role("button", name="Send it again").click()
    expect(page.locator("body")).to_contain_text("We have sent the confirmation link again to rider@example.com")

    page.get_by_role("button", name="steppe_rider").click()
    page.get_by_role("button", name="Sign out").click()
    page.goto("/auth/login")
    expect(page.get_by_label("Username or email")).to_be_focused()
    page.get_by_label("Username or email").fill("Steppe_Rider")
    page.get_by_label("Password").fill("long-enough-1")
    page.get_by_label("Remember me").check()
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("body")).to_contain_text("Welcome back, steppe_rider!")

    page.get_by_role("button", name="steppe_rider").click()
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Display name").fill("Steppe Rider")
    page.get_by_label("City").fill("Karaganda")
    page.get_by_label("Show my phone to signed-in users").check()
    page.get_by_label("Phone", exact=True).fill("+7 701 555 44 33")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator("body")).to_contain_text("Your profile is saved.")

    page.goto("/u/steppe_rider")
    assert page.get_by_role("heading", name="Steppe Rider").is_visible()
    assert "Karaganda" in page.content() and "+7 701 555 44 33" in page.content()
    assert page.errors == []


def test_wrong_password_shows_the_error_next_to_the_field(new_page, live_server):
    page = new_page()
    page.goto("/auth/login")
    page.get_by_label("Username or email").fill("nobody")
    page.get_by_label("Password").fill("whatever-123")
    page.get_by_role("button", name="Sign in").click()
    assert page.locator(".invalid-feedback", has_text="Wrong username or password.").is_visible()
