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


def test_a_message_typed_offline_survives_a_reload_and_a_refused_one_can_be_retried(new_page):
    from app.extensions import db
    from app.models import Message

    factories.make_user("buyer", display_name="Bob Buyer")
    factories.make_user("dealer", role="dealer", display_name="Dana Dealer")
    buyer, dealer = new_page(), new_page()
    sign_in(buyer, "buyer")
    sign_in(dealer, "dealer")
    buyer.goto("/chat/dealer")
    expect(buyer.get_by_text("No messages yet")).to_be_visible()

    # the connection is gone when the buyer writes, then the tab is reloaded
    buyer.evaluate("window.garage.socket.disconnect()")
    buyer.get_by_label("Your message").fill("Can you send the VIN?")
    buyer.get_by_role("button", name="Send", exact=True).click()
    expect(buyer.locator(".chat-msg.mine .chat-ticks")).to_have_text("Sending…")
    buyer.reload()
    # still there after the reload, and sent as soon as the page is connected again
    expect(buyer.locator(".chat-msg.mine", has_text="Can you send the VIN?")).to_have_count(1)
    expect(buyer.locator(".chat-msg.mine .chat-ticks")).to_have_text("✓")
    dealer.goto("/chat/buyer")
    expect(dealer.locator(".chat-msg.theirs", has_text="Can you send the VIN?")).to_have_count(1)
    buyer.reload()  # nothing left to resend: still one copy
    expect(buyer.locator(".chat-msg.mine", has_text="Can you send the VIN?")).to_have_count(1)

    # refused (the dealer blocked the buyer for a moment): Not sent, with Retry
    dealer.get_by_role("button", name="Block").click()
    buyer.get_by_label("Your message").fill("Hello?")
    buyer.get_by_role("button", name="Send", exact=True).click()
    failed = buyer.locator(".chat-msg.mine.failed", has_text="Hello?")
    expect(failed.locator(".chat-ticks")).to_have_text("Not sent")
    dealer.goto("/chat/buyer")
    dealer.get_by_role("button", name="Unblock").click()
    failed.get_by_role("button", name="Retry").click()
    expect(buyer.locator(".chat-msg.mine", has_text="Hello?").locator(".chat-ticks")).to_have_text("✓")
    expect(buyer.locator(".chat-msg.mine.failed")).to_have_count(0)
    db.session.expire_all()
    assert sorted(db.session.scalars(db.select(Message.body))) == ["Can you send the VIN?", "Hello?"]
    assert buyer.errors == [] and dealer.errors == []
