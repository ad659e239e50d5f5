"""robots.txt and the paged sitemap: only public pages, every page valid and bounded."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from app.core.time import utcnow
from app.extensions import db
from tests import factories
from tests.forum.helpers import make_topic
from tests.seo.sitemap_check import check_document

PAGE_SIZE = 3


@pytest.fixture
def small_pages(app, monkeypatch):
    monkeypatch.setitem(app.config, "SITEMAP_PAGE_SIZE", PAGE_SIZE)


def all_locations(client) -> tuple[list[str], list[str]]:
    """(the index's page URLs, every URL of every page), each document checked strictly."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and index.mimetype == "application/xml"
    pages = check_document(index.data, "sitemapindex")
    urls = []
    for page in pages:
        response = client.get(urlsplit(page).path)
        assert response.status_code == 200, page
        urls.extend(check_document(response.data, "urlset"))
    return pages, urls


def test_robots_keeps_crawlers_out_of_private_pages_and_names_the_sitemap(client, app):
    response = client.get("/robots.txt", headers={"Host": "127.0.0.1:1"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert text.startswith("User-agent: *\n")
    for private in ("/admin/", "/chat/", "/auth/", "/notifications/", "/settings", "/favorites", "/listings/compare"):
        assert f"Disallow: {private}\n" in text
    assert f"Sitemap: {app.config['SITE_URL']}/sitemap.xml\n" in text
    assert "127.0.0.1:1" not in text  # never the Host header a client sent


def test_sitemap_pages_hold_public_listings_topics_and_profiles(client, app, small_pages):
    site = app.config["SITE_URL"]
    seller = factories.make_user("seller")
    banned = factories.make_user("banned", banned_until=utcnow() + timedelta(days=3))
    on_sale = [factories.make_listing(seller, year=2010 + n) for n in range(7)]
    draft = factories.make_listing(seller, status="draft")
    sold = factories.make_listing(seller, status="sold")
    hidden = factories.make_listing(banned)
    topic = make_topic(seller, title="Winter tyres in Astana")
    gone = make_topic(seller, title="Deleted topic")
    gone.deleted_at = utcnow()
    db.session.commit()

    pages, urls = all_locations(client)

    assert all(page.startswith(f"{site}/sitemaps/") for page in pages)
    for listing in on_sale:
        assert f"{site}/listings/{listing.id}" in urls
    for listing in (draft, sold, hidden):
        assert f"{site}/listings/{listing.id}" not in urls
    assert f"{site}/forum/t/{topic.id}" in urls and f"{site}/forum/t/{gone.id}" not in urls
    assert f"{site}/u/seller" in urls and f"{site}/u/banned" not in urls
    assert len(urls) == len(set(urls))
    listing_pages = [page for page in pages if "/sitemaps/listings-" in page]
    highest = max(listing.id for listing in on_sale)
    assert len(listing_pages) >= -(-len(on_sale) // PAGE_SIZE)
    assert len(listing_pages) <= -(-highest // PAGE_SIZE)
    for page in listing_pages:  # no page holds more than its id range
        assert len(check_document(client.get(urlsplit(page).path).data, "urlset")) <= PAGE_SIZE


def test_every_sitemap_url_is_a_page_that_answers(client, small_pages):
    seller = factories.make_user("seller")
    for n in range(4):
        factories.make_listing(seller, year=2012 + n)
    make_topic(seller)
    _, urls = all_locations(client)
    for url in urls:
        assert client.get(urlsplit(url).path).status_code == 200, url


def test_sitemap_refuses_unknown_empty_and_hostile_pages(client, small_pages):
    seller = factories.make_user("seller")
    factories.make_listing(seller)
    assert client.get("/sitemaps/listings-1.xml").status_code == 200
    for path in (
        "/sitemaps/listings-0.xml",
        "/sitemaps/listings-999.xml",  # past every id: nothing public there
        "/sitemaps/passwords-1.xml",
        "/sitemaps/listings-99999999999999999999999.xml",
        "/sitemaps/listings-%00.xml",
    ):
        assert client.get(path).status_code == 404, path
