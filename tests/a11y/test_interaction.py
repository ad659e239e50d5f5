"""What a keyboard, a finger and a night owl do: the listing gallery follows ← and → and a
swipe, the forum editor's Preview tab shows the post as it will look, and the theme
toggle switches light / dark / system and remembers the choice."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.listings.photos import add_photo
from tests.a11y.axe import PHONE
from tests.factories import make_listing, make_user
from tests.forum.helpers import make_topic
from tests.forum.test_browser import sign_in
from tests.images import jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.live]


def listing_with_photos(count: int = 3):
    listing = make_listing(make_user("aigerim", role="dealer"), model="RAV4")
    for n in range(count):
        add_photo(listing, io.BytesIO(jpeg_with_gps(colour=(40 * n, 90, 160))))
    db.session.commit()
    return listing


def active_photo(page) -> int:
    items = page.locator("#gallery .carousel-item")
    return items.evaluate_all("items => items.findIndex(item => item.classList.contains('active'))")


def test_the_gallery_follows_the_arrow_keys_and_shows_focus(new_page):
    listing = listing_with_photos(3)
    page = new_page()
    page.goto(f"/listings/{listing.id}")
    page.keyboard.press("Tab")  # the skip link first: the page is keyboard-driven from here
    page.locator("#gallery").focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#gallery-status")).to_have_text("Photo 2 of 3")  # said to screen readers
    assert active_photo(page) == 1
    page.keyboard.press("ArrowRight")
    expect(page.locator("#gallery-status")).to_have_text("Photo 3 of 3")
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#gallery-status")).to_have_text("Photo 2 of 3")
    page.keyboard.press("Tab")  # onto the photo itself: a visible outline
    focused = page.locator("#gallery .carousel-item.active .gallery-open")
    expect(focused).to_be_focused()
    assert focused.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    page.keyboard.press("Enter")  # opens full screen
    expect(page.locator("#viewer")).to_be_visible()
    assert page.errors == []


def test_a_swipe_on_a_phone_turns_the_photo(browser, live_server):
    listing = listing_with_photos(3)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(f"/listings/{listing.id}")
        box = page.locator("#gallery").bounding_box()
        y = box["y"] + box["height"] / 2
        cdp = context.new_cdp_session(page)

        def swipe(from_x: float, to_x: float) -> None:
            cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": from_x, "y": y}]})
            for step in range(1, 6):
                x = from_x + (to_x - from_x) * step / 5
                cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
            cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

        swipe(box["x"] + box["width"] - 40, box["x"] + 40)  # right to left: the next photo
        expect(page.locator("#gallery-status")).to_have_text("Photo 2 of 3")
        page.wait_for_function("!document.querySelector('#gallery .carousel-item-next, #gallery .carousel-item-prev')")
        swipe(box["x"] + 40, box["x"] + box["width"] - 40)  # left to right: back
        expect(page.locator("#gallery-status")).to_have_text("Photo 1 of 3")
    finally:
        context.close()


def test_the_preview_tab_shows_the_post_as_the_server_renders_it(new_page):
    author = make_user("aigerim")
    make_user("daniyar")
    topic = make_topic(author, title="Winter tyres", body="Which size?")
    page = new_page()
    sign_in(page, "daniyar")
    page.goto(f"/forum/t/{topic.id}")
    box = page.get_by_label("Your reply")
    box.fill("Take **215/55 R17**.\n\n<script>alert(1)</script>")
    write_tab = page.get_by_role("tab", name="Write")
    preview_tab = page.get_by_role("tab", name="Preview")
    expect(write_tab).to_have_attribute("aria-selected", "true")
    preview_tab.click()
    preview = page.get_by_role("tabpanel", name="Preview")
    expect(preview.locator("strong")).to_have_text("215/55 R17")
    expect(preview).to_contain_text("<script>alert(1)</script>")  # shown as text, never run
    assert page.locator(".forum-preview-body script").count() == 0
    expect(box).to_be_hidden()
    preview_tab.press("ArrowLeft")  # the tabs pattern: arrows move between Write and Preview
    expect(write_tab).to_be_focused()
    expect(box).to_be_visible()
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_url(re.compile(r".*#post-\d+$"))
    expect(page.locator("article.forum-post").last.locator("strong")).to_have_text("215/55 R17")
    assert page.errors == []


def test_the_theme_follows_the_system_and_the_toggle_is_remembered(new_page):
    page = new_page()
    page.emulate_media(color_scheme="dark")
    page.goto("/")
    html = page.locator("html")
    expect(html).to_have_attribute("data-bs-theme", "dark")  # the system's choice
    page.emulate_media(color_scheme="light")
    expect(html).to_have_attribute("data-bs-theme", "light")  # follows it live

    page.get_by_role("button", name="Colour theme").click()
    page.get_by_role("button", name="Dark").click()
    expect(html).to_have_attribute("data-bs-theme", "dark")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(33, 37, 41)"
    page.goto("/forum/", wait_until="domcontentloaded")
    # set before the body is drawn (a script file in <head>: no flash, no inline script)
    assert html.get_attribute("data-bs-theme") == "dark"
    page.get_by_role("button", name="Colour theme").click()
    expect(page.get_by_role("button", name="Dark")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="System").click()
    expect(html).to_have_attribute("data-bs-theme", "light")
    page.reload()
    expect(html).to_have_attribute("data-bs-theme", "light")
    assert page.errors == []


def test_the_chat_camera_button_shows_keyboard_focus(new_page):
    make_user("daniyar")
    make_user("aigerim")
    page = new_page()
    sign_in(page, "daniyar")
    page.goto("/chat/aigerim")
    camera = page.locator('label[for="chat-image"]')
    assert camera.evaluate("e => getComputedStyle(e).outlineStyle") == "none"
    page.get_by_label("Your message").focus()
    page.keyboard.press("Tab")  # from the message box to the hidden file input behind the camera
    expect(page.locator("#chat-image")).to_be_focused()
    assert camera.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
