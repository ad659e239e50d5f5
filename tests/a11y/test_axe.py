"""The accessibility audit of issue 15: axe-core finds no critical or serious violation on
the main pages, on a phone (390×844) and a desktop (1366×900), in the light and the dark
theme (the dark one reached as a visitor whose system prefers dark)."""

from __future__ import annotations

import pytest

from tests.a11y.axe import DESKTOP, PHONE, audit, describe
from tests.a11y.world import ANONYMOUS_PAGES, build_world, pages
from tests.forum.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.live]


def open_context(browser, live_server, viewport, theme):
    # bypass_csp: axe is injected as an inline script, which the site's CSP (rightly) refuses.
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, color_scheme=theme, bypass_csp=True, is_mobile=viewport is PHONE
    )
    context.set_default_timeout(15_000)
    return context


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_main_pages_pass_axe(browser, live_server, viewport, theme):
    world = build_world()
    context = open_context(browser, live_server, viewport, theme)
    page = context.new_page()
    found: dict[str, list[dict]] = {}
    try:
        for name, path in ANONYMOUS_PAGES.items():
            page.goto(path)
            assert page.locator("html").get_attribute("data-bs-theme") == theme  # follows the system
            found[name] = audit(page)
        sign_in(page, world.moderator)
        for name, path in pages(world).items():
            response = page.goto(path)
            assert response.ok, f"{name}: {path} answered {response.status}"
            found[name] = audit(page)
    finally:
        context.close()
    found = {name: violations for name, violations in found.items() if violations}
    assert not found, "axe found serious or critical problems:\n" + describe(found)
