"""Static files: fingerprinted URLs with a year-long cache, compression, the icon subset,
and what a first and a repeat visit to the home page weigh in a real browser."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest

from app.extensions import db
from app.listings.photos import add_photo
from tests.conftest import ROOT
from tests.factories import make_listing, make_user
from tests.images import jpeg_with_gps

FIRST_VISIT_BUDGET = 350_000
REPEAT_VISIT_BUDGET = 50_000


def asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/(?:static|bootstrap/static)/[^"#]+)', html)


def test_every_asset_url_carries_its_content_hash_and_is_cached_a_year(client):
    html = client.get("/auth/login").get_data(as_text=True)
    urls = asset_urls(html)
    assert any("bootstrap.min.css" in url for url in urls) and any("garage.js" in url for url in urls)
    for url in urls:
        assert re.search(r"\?v=[0-9a-f]{12}$", url), url
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", url
        response.close()
    stale = client.get(re.sub(r"v=[0-9a-f]+", "v=000000000000", urls[0]))
    assert "immutable" not in stale.headers.get("Cache-Control", "")  # an old hash is not frozen
    stale.close()


def test_pages_css_and_js_are_compressed(client):
    page = client.get("/auth/login", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    css = next(
        url for url in asset_urls(client.get("/auth/login").get_data(as_text=True)) if "bootstrap.min.css" in url
    )
    browser_like = client.get(css, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert browser_like.headers["Content-Encoding"] in ("zstd", "br", "gzip", "deflate")
    assert len(browser_like.get_data()) < 60_000  # 232,111 bytes as a file
    browser_like.close()


def test_the_icon_sprite_holds_only_the_icons_the_site_uses(client):
    html = client.get("/auth/login").get_data(as_text=True)
    sprite_url = re.search(r'href="([^"#]+bootstrap-icons\.svg[^"#]*)#', html).group(1)
    sprite = client.get(sprite_url)
    body = sprite.get_data()
    assert sprite.status_code == 200 and sprite.mimetype == "image/svg+xml"
    assert len(body) < 30_000  # the full Bootstrap sprite is 1,123,048 bytes
    assert b'id="search"' in body and b'id="0-circle"' not in body
    check = subprocess.run([sys.executable, "scripts/build_icon_sprite.py", "--check"], cwd=ROOT, capture_output=True)
    assert check.returncode == 0, check.stderr.decode()  # every icon a template uses is in it


@pytest.mark.browser
@pytest.mark.live
def test_the_home_page_is_light_on_a_first_and_a_repeat_visit(browser, live_server):
    seller = make_user("aigerim", role="dealer")
    for n in range(8):
        listing = make_listing(seller, year=2012 + n)
        add_photo(listing, io.BytesIO(jpeg_with_gps(colour=(30 * n, 120, 200))))
    db.session.commit()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        received: dict[str, int] = {}  # request id → bytes on the wire (headers included)
        kinds: dict[str, str] = {}
        cdp.on("Network.responseReceived", lambda event: kinds.update({event["requestId"]: event["type"]}))
        cdp.on(
            "Network.loadingFinished", lambda event: received.update({event["requestId"]: event["encodedDataLength"]})
        )

        page.goto("/", wait_until="networkidle")
        first, first_requests = sum(received.values()), len(received)
        by_kind: dict[str, int] = {}
        for request_id, size in received.items():
            by_kind[kinds.get(request_id, "Other")] = by_kind.get(kinds.get(request_id, "Other"), 0) + size
        received.clear()
        page.goto("/", wait_until="networkidle")
        repeat = sum(received.values())
    finally:
        context.close()
    print(
        f"home page: first visit {first:,} bytes in {first_requests} requests {by_kind}, repeat visit {repeat:,} bytes"
    )
    assert first < FIRST_VISIT_BUDGET, f"first visit {first:,} bytes"
    assert repeat < REPEAT_VISIT_BUDGET, f"repeat visit {repeat:,} bytes"
