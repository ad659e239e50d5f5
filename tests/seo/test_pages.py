"""What search engines and link previews read from a page: the canonical link, OpenGraph and
Twitter cards, and JSON-LD (a Vehicle with its Offer; a DiscussionForumPosting)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from app.extensions import db
from tests import factories
from tests.forum.helpers import make_topic


class Head(HTMLParser):
    """The <meta>, <link> and JSON-LD blocks of a page, as a crawler reads them."""

    def __init__(self, html: str):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict] = []
        self.json_ld: list[dict] = []
        self._in_json = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.meta[attrs.get("property") or attrs.get("name")] = attrs.get("content")
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json = True

    def handle_data(self, data):
        if self._in_json:
            self.json_ld.append(json.loads(data))

    def handle_endtag(self, tag):
        self._in_json = False

    def canonical(self) -> str:
        (link,) = [link for link in self.links if link.get("rel") == "canonical"]
        return link["href"]


@pytest.fixture
def listing(app):
    seller = factories.make_user("seller", role="dealer")
    listing = factories.make_listing(seller, price=9_800_000, description="Camry </script><b>bold</b> & more")
    listing.cover = "abcdef0123456789"
    db.session.commit()
    return listing


def test_listing_page_has_social_cards_with_cover_price_and_title(client, app, listing):
    site = app.config["SITE_URL"]
    head = Head(client.get(f"/listings/{listing.id}?sort=price_asc&utm_source=x").get_data(as_text=True))
    assert head.canonical() == f"{site}/listings/{listing.id}"
    assert head.meta["og:title"] == "Toyota Camry 2018"
    assert head.meta["og:type"] == "product"
    assert head.meta["og:url"] == f"{site}/listings/{listing.id}"
    assert head.meta["og:image"].startswith(f"{site}/uploads/listings/") and "abcdef0123456789" in head.meta["og:image"]
    assert head.meta["product:price:amount"] == "9800000" and head.meta["product:price:currency"] == "KZT"
    assert "9" in head.meta["og:description"] and "Toyota Camry 2018" in head.meta["og:description"]
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.meta["twitter:image"] == head.meta["og:image"]


def test_listing_json_ld_is_a_vehicle_offered_at_its_price(client, app, listing):
    head = Head(client.get(f"/listings/{listing.id}").get_data(as_text=True))
    (vehicle,) = head.json_ld
    assert vehicle["@context"] == "https://schema.org" and vehicle["@type"] == "Vehicle"
    assert vehicle["name"] == "Toyota Camry 2018"
    assert vehicle["brand"]["name"] == "Toyota" and vehicle["model"] == "Camry"
    assert vehicle["vehicleModelDate"] == "2018"
    assert vehicle["mileageFromOdometer"] == {"@type": "QuantitativeValue", "value": 85000, "unitCode": "KMT"}
    offer = vehicle["offers"]
    assert offer["@type"] == "Offer" and offer["price"] == 9_800_000 and offer["priceCurrency"] == "KZT"
    assert offer["availability"] == "https://schema.org/InStock"
    assert offer["seller"]["@type"] == "Organization"
    assert vehicle["description"] == "Camry </script><b>bold</b> & more"  # parsed back intact
    assert vehicle["image"][0].startswith(app.config["SITE_URL"] + "/uploads/")


def test_json_ld_cannot_be_closed_by_a_listing_text(client, listing):
    html = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    block = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S).group(1)
    assert "</script>" not in block and "<b>" not in block
    assert json.loads(block)["description"].startswith("Camry </script>")


def test_a_draft_has_no_structured_data(client, auth, app):
    seller = factories.make_user("seller")
    draft = factories.make_listing(seller, status="draft")
    auth.login("seller")
    head = Head(client.get(f"/listings/{draft.id}").get_data(as_text=True))
    assert head.json_ld == []


def test_topic_json_ld_is_a_discussion_forum_posting(client, app):
    author = factories.make_user("driver")
    topic = make_topic(author, title="Winter tyres in Astana", body="Studded or friction?", replies=2)
    site = app.config["SITE_URL"]
    head = Head(client.get(f"/forum/t/{topic.id}").get_data(as_text=True))
    (posting,) = head.json_ld
    assert posting["@type"] == "DiscussionForumPosting"
    assert posting["headline"] == "Winter tyres in Astana"
    assert posting["text"] == "Studded or friction?"
    assert posting["url"] == f"{site}/forum/t/{topic.id}"
    assert posting["author"] == {"@type": "Person", "name": "driver", "url": f"{site}/u/driver"}
    assert posting["interactionStatistic"]["userInteractionCount"] == 2
    assert posting["datePublished"].endswith("Z")
    assert head.canonical() == f"{site}/forum/t/{topic.id}"
    assert head.meta["og:title"].startswith("Winter tyres in Astana")
    assert head.meta["twitter:card"] == "summary"


def test_every_page_has_a_canonical_link_and_language_alternates(client, app):
    site = app.config["SITE_URL"]
    assert Head(client.get("/").get_data(as_text=True)).meta["og:locale"] == "en_US"
    head = Head(client.get("/listings/?brand=1&sort=price_asc&after=5~3&lang=kk").get_data(as_text=True))
    assert head.canonical() == f"{site}/listings/?brand=1&lang=kk"
    alternates = {link["hreflang"]: link["href"] for link in head.links if link.get("rel") == "alternate"}
    assert set(alternates) == {"ru", "kk", "en", "x-default"}
    assert all(href.startswith(site) for href in alternates.values())
    assert head.meta["og:locale"] == "kk_KZ"


def test_share_button_carries_the_absolute_link(client, app, listing):
    html = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert f'data-share-url="{app.config["SITE_URL"]}/listings/{listing.id}"' in html
    strings = json.loads(re.search(r'id="garage-i18n">(.*?)</script>', html, re.S).group(1))["strings"]
    assert strings["link_copied"] == "Link copied"
