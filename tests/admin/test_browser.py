"""In a real Chromium: a member reports a forum post, a moderator removes it from the
queue in another browser, and the admin's audit log shows who did it."""

import pytest
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD
from tests.forum.helpers import make_topic, make_user, reply

pytestmark = [pytest.mark.browser, pytest.mark.live]


def sign_in(page, username: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("body")).to_contain_text(f"Welcome back, {username}!")


def test_report_a_post_then_a_moderator_removes_it_and_the_audit_log_shows_it(new_page, db):
    author = make_user("troll")
    make_user("reader")
    make_user("moder", role="moderator")
    make_user("boss", role="admin")
    topic = make_topic(author, title="Best winter tyres?", body="Which tyres for Astana winters?")
    bad = reply(topic, author, "Buy my tyres at scam-tyres.example, prepay only!")

    reader = new_page()
    sign_in(reader, "reader")
    reader.goto(f"/forum/t/{topic.id}")
    reader.locator(f"#post-{bad.id}").get_by_role("link", name="Report").click()
    reader.get_by_label("Spam or advertising").check()
    reader.get_by_label("Details (optional)").fill("Sells tyres for prepayment")
    reader.get_by_role("button", name="Send report").click()
    expect(reader.locator("body")).to_contain_text("Moderators will look at your report.")

    moderator = new_page()
    sign_in(moderator, "moder")
    moderator.goto("/admin/")
    item = moderator.locator(f'[data-target="post-{bad.id}"]')
    assert "scam-tyres.example" in item.inner_text() and "Sells tyres for prepayment" in item.inner_text()
    assert "Spam or advertising" in item.inner_text()
    item.get_by_role("button", name="Remove content").click()
    expect(moderator.locator("body")).to_contain_text("Removed:")
    expect(moderator.locator("body")).to_contain_text("No open reports")

    reader.goto(f"/forum/t/{topic.id}")
    assert "This post was deleted." in reader.locator(f"#post-{bad.id}").inner_text()
    assert "scam-tyres.example" not in reader.content()

    admin = new_page()
    sign_in(admin, "boss")
    admin.goto("/admin/audit")
    row = admin.locator(".audit-entry", has_text="remove")
    assert "@moder" in row.inner_text() and f"post #{bad.id}" in row.inner_text()
    assert reader.errors == [] and moderator.errors == [] and admin.errors == []


def test_the_bell_counts_live_and_mark_all_read_clears_it_on_other_pages(new_page, db):
    """The navbar bell of the topic author goes up live when someone replies, and down on
    every open page when they mark all read."""
    author = make_user("asker")
    make_user("helper")
    topic = make_topic(author, title="Which oil for a 2.5 Camry?", body="0W-20 or 5W-30?")

    asker = new_page()
    sign_in(asker, "asker")
    asker.goto("/forum/")
    badge = asker.locator("#notification-badge")
    assert badge.is_hidden()

    helper = new_page()
    sign_in(helper, "helper")
    helper.goto(f"/forum/t/{topic.id}/reply")
    helper.get_by_label("Your reply").fill("0W-20, the manual says so.")
    helper.get_by_role("button", name="Post reply").click()

    badge.wait_for(state="visible")
    assert badge.locator(".live-count-number").inner_text() == "1"  # arrived live, no reload
    expect(badge.locator(".live-count-label")).to_have_text("1 unread notification")  # what a screen reader says

    second_tab = asker.context.new_page()
    second_tab.goto("/notifications/")
    expect(second_tab.locator("body")).to_contain_text("helper replied in your topic")
    second_tab.get_by_role("button", name="Mark all read").click()
    badge.wait_for(state="hidden")  # the first tab heard the exact count (0)
    assert asker.errors == [] and helper.errors == []
