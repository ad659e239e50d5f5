"""A buyer and a dealer chat live in two real Chromium contexts: the message arrives, the
typing notice and the read receipt appear, and the navbar badge updates on another page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.browser


def sign_in(page, username: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(factories.DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Welcome back")).to_be_visible()


def test_buyer_and_dealer_chat_live(new_page):
    factories.make_user("buyer", display_name="Bob Buyer")
    factories.make_user("dealer", role="dealer", display_name="Dana Dealer")
    buyer, dealer = new_page(), new_page()
    sign_in(buyer, "buyer")
    sign_in(dealer, "dealer")

    # the dealer is elsewhere on the site: the badge must update there
    dealer.goto("/")
    badge = dealer.locator("#unread-badge")
    expect(badge).to_be_hidden()

    buyer.goto("/u/dealer")
    buyer.get_by_role("link", name="Write a message").click()
    expect(buyer.get_by_text("No messages yet")).to_be_visible()
    buyer.get_by_label("Your message").fill("Hello, is the Land Cruiser still available?")
    buyer.get_by_role("button", name="Send", exact=True).click()
    expect(buyer.locator(".chat-msg.mine .chat-ticks")).to_have_text("✓")
    expect(badge.locator(".live-count-number")).to_have_text("1")
    expect(badge.locator(".live-count-label")).to_have_text("1 unread message")  # read out, updated live
    expect(badge).to_be_visible()

    dealer.locator("a[href='/chat/']").first.click()
    expect(dealer.get_by_text("Bob Buyer")).to_be_visible()
    dealer.get_by_text("Bob Buyer").click()
    expect(dealer.get_by_text("Hello, is the Land Cruiser still available?")).to_be_visible()
    # the dealer has read it: ✓✓ for the buyer, the dealer's badge clears
    expect(buyer.locator(".chat-msg.mine .chat-ticks")).to_have_text("✓✓")
    expect(dealer.locator("#unread-badge")).to_be_hidden()

    dealer.get_by_label("Your message").press_sequentially("Yes, it is", delay=30)
    expect(buyer.get_by_text("Dana Dealer is typing…")).to_be_visible()
    dealer.get_by_label("Your message").press("Enter")
    expect(buyer.locator(".chat-msg.theirs", has_text="Yes, it is")).to_be_visible()
    expect(dealer.locator(".chat-msg.mine .chat-ticks").last).to_have_text("✓✓")
    expect(buyer.get_by_text("Dana Dealer is typing…")).to_be_hidden()
    assert buyer.errors == [] and dealer.errors == []
