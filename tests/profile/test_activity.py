"""Seller activity (issue 17 item 4): "On Garage since 2024" and the usual response time,
computed from chat data by scheduled work, shown only with enough conversations, and read
by the listing page as one stored row (no scan of messages per view)."""

from __future__ import annotations

from datetime import timedelta

from app.core.time import utcnow
from app.extensions import db
from app.models import ResponseTime
from app.profile.activity import compute_response_time, refresh_response_times
from tests import factories
from tests.profile.helpers import say
from tests.queries import count_statements


def asked_and_answered(seller, buyer_name: str, delay: timedelta | None, days_ago: float = 3):
    """A buyer writes first; the seller answers after `delay` (None: never)."""
    buyer = factories.make_user(buyer_name)
    asked = utcnow() - timedelta(days=days_ago)
    say(buyer, seller, "Is it still for sale?", at=asked)
    if delay is not None:
        say(seller, buyer, "Yes, it is.", at=asked + delay)
    return buyer


def test_the_response_time_shows_only_from_three_conversations(client):
    seller = factories.make_user("seller")
    listing = factories.make_listing(seller)
    asked_and_answered(seller, "first", timedelta(minutes=10))
    asked_and_answered(seller, "second", timedelta(minutes=40))
    assert refresh_response_times() == 3  # the seller and the two buyers
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert f"On Garage since {seller.created_at.year}" in page
    assert "Usually answers" not in page  # two conversations are not enough
    asked_and_answered(seller, "third", timedelta(minutes=20))
    refresh_response_times()
    assert "Usually answers within an hour" in client.get(f"/listings/{listing.id}").get_data(as_text=True)
    profile = client.get("/u/seller").get_data(as_text=True)
    assert "In the chat" in profile and "Usually answers within an hour" in profile


def test_the_median_counts_slow_and_unanswered_conversations_but_not_fresh_ones(client):
    seller = factories.make_user("seller")
    asked_and_answered(seller, "quick", timedelta(minutes=5))
    asked_and_answered(seller, "slow", timedelta(hours=5))
    asked_and_answered(seller, "slower", timedelta(hours=20))
    assert compute_response_time(seller.id).median_seconds == 5 * 3600
    asked_and_answered(seller, "ignored", None)  # unanswered for three days: slowest of all
    asked_and_answered(seller, "ignored2", None)
    row = compute_response_time(seller.id)
    assert (row.conversations, row.median_seconds) == (5, 20 * 3600)
    asked_and_answered(seller, "just_now", None, days_ago=0.1)  # may still be answered: not counted
    assert compute_response_time(seller.id).conversations == 5
    asked_and_answered(seller, "ignored3", None)
    asked_and_answered(seller, "ignored4", None)  # now most went unanswered
    assert compute_response_time(seller.id).median_seconds is None
    db.session.commit()
    assert "Rarely answers in the chat" in client.get("/u/seller").get_data(as_text=True)


def test_conversations_the_seller_started_do_not_count(client):
    seller = factories.make_user("seller")
    for name in ("a", "b", "c"):
        buyer = factories.make_user(f"buyer_{name}")
        say(seller, buyer, "Hello, I saw you looking for a Camry.", at=utcnow() - timedelta(days=2))
        say(buyer, seller, "Thanks!", at=utcnow() - timedelta(days=1))
    assert compute_response_time(seller.id).conversations == 0


def test_the_refresh_recomputes_only_conversations_that_moved(client):
    seller = factories.make_user("seller")
    for name in ("a", "b", "c"):
        asked_and_answered(seller, name, timedelta(minutes=3))
    later = utcnow() + timedelta(days=3)
    assert refresh_response_times(now=later) == 0  # nothing moved in the two days before
    assert db.session.get(ResponseTime, seller.id) is None
    assert refresh_response_times(since=utcnow() - timedelta(days=30)) == 4
    assert db.session.get(ResponseTime, seller.id).median_seconds == 180


def test_the_listing_page_reads_no_messages(client, app):
    seller = factories.make_user("seller")
    listing = factories.make_listing(seller)
    for name in ("a", "b", "c"):
        asked_and_answered(seller, name, timedelta(minutes=3))
    refresh_response_times()
    with count_statements() as statements:
        page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert "Usually answers within an hour" in page
    assert not [s for s in statements if "FROM messages" in s], "the listing page scanned chat messages"
    assert [s for s in statements if "FROM response_times" in s]


def test_the_command_recomputes_everyone(runner):
    seller = factories.make_user("seller")
    for name in ("a", "b", "c"):
        asked_and_answered(seller, name, timedelta(minutes=90))
    result = runner.invoke(args=["profile", "response-times", "--all"])
    assert "4 member(s) recomputed" in result.output
    assert db.session.get(ResponseTime, seller.id).median_seconds == 90 * 60
