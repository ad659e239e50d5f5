"""Two people in real Chromium windows: one opens a topic, the other quotes it and
attaches a picture, and the first sees the reply with the picture."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD
from tests.forum.helpers import make_topic, make_user
from tests.images import png

pytestmark = [pytest.mark.browser, pytest.mark.live]


def sign_in(page, username: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def test_reply_quoting_a_post_with_a_picture(new_page, tmp_path):
    aigerim = make_user("aigerim")
    make_user("daniyar")
    topic = make_topic(aigerim, title="Camry 70 or Sonata?", body="Budget is **12 million**. Which one?")
    picture = tmp_path / "my-sonata.png"
    picture.write_bytes(png(size=(640, 480)))

    reader = new_page()
    sign_in(reader, "aigerim")
    reader.goto(f"/forum/t/{topic.id}")
    assert reader.get_by_role("heading", name="Camry 70 or Sonata?").is_visible()

    writer = new_page()
    sign_in(writer, "daniyar")
    writer.goto(f"/forum/t/{topic.id}")
    writer.locator(f"#post-{topic.last_post_id}").get_by_role("link", name="Quote").click()
    box = writer.get_by_label("Your reply")
    expect(box).to_have_value(re.compile("wrote:"))
    assert writer.url.endswith(f"/forum/t/{topic.id}")  # quoted in place, no page change
    assert "> **@aigerim** wrote:" in box.input_value()
    assert "> Budget is **12 million**. Which one?" in box.input_value()
    box.press("End")
    box.type("I would take the Sonata, here is mine:\n")
    writer.locator("input.forum-upload").set_input_files(str(picture))
    expect(box).to_have_value(re.compile(r"!\[\]\(/uploads/posts/[\w-]+_full\.jpg\)"))
    writer.get_by_role("button", name="Post reply").click()
    writer.wait_for_url(f"**/forum/t/{topic.id}#post-*")

    reader.reload()
    reply = reader.locator("article.forum-post").last
    assert reply.locator("blockquote").inner_text().startswith("@aigerim wrote:")
    assert "I would take the Sonata" in reply.inner_text()
    image = reply.locator("img.post-image")
    image.wait_for()
    assert image.get_attribute("src").startswith("/uploads/posts/")
    assert reader.evaluate("img => img.complete && img.naturalWidth > 0", image.element_handle())
    assert reader.errors == [] and writer.errors == []
