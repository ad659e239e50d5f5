"""The main pages in Russian and Kazakh: no English word left in what a person reads (brand
names, units and the user content seeded here aside)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.factories import make_listing, make_user
from tests.forum.helpers import make_category, make_topic

# Latin that stays Latin on Kazakh car sites: the brand, makes and models, units, codes.
ALLOWED = {"Garage", "Toyota", "Camry", "RAV4", "Lada", "Vesta", "VIN", "XV70", "XV50", "XA50", "km", "JPEG", "PNG",
           "WebP", "GIF", "EN", "RU", "English", "AM", "PM", "seller", "buyer", "admin", "moderator", "Almaty",
           "Astana", "Kaskelen", "example", "com", "Markdown", "https"}  # fmt: skip
NOT_SHOWN = ("script", "style", "code")


class Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in NOT_SHOWN:
            self.hidden += 1
        self.parts += [v for k, v in attrs if k in ("title", "alt", "placeholder", "aria-label") and v]

    def handle_endtag(self, tag):
        if tag in NOT_SHOWN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def english_left(html: str, also_allowed: set[str]) -> list[str]:
    parser = Visible()
    parser.feed(html)
    words = re.findall(r"[A-Za-z][A-Za-z'-]+", " ".join(parser.parts))
    # "Garage-ға": a Kazakh ending on the brand name
    return sorted({w for w in words if w.rstrip("-") not in ALLOWED | also_allowed})


@pytest.fixture
def site(client, auth, db):
    """A seller's car, a forum topic, a conversation and a moderator looking at it all."""
    seller = make_user("seller")
    make_user("buyer")
    moderator = make_user("moderator", role="moderator")
    listing = make_listing(seller, description="Один владелец")
    topic = make_topic(seller, make_category("Покупка"), "Камри или Соната?", "Что выбрать?")
    auth.login("moderator")
    client.get("/")  # the sign-in greeting was flashed in the language of the sign-in page
    db.session.commit()
    return {"listing": listing, "topic": topic, "moderator": moderator}


PAGES = [
    "/", "/listings/", "/listings/{listing}", "/listings/new", "/forum/", "/forum/t/{topic}",
    "/chat/", "/u/seller", "/notifications/", "/admin/", "/settings",
]  # fmt: skip


@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize("path", PAGES)
def test_a_main_page_has_no_english_left(client, site, path, lang):
    url = path.format(listing=site["listing"].id, topic=site["topic"].id)
    response = client.get(url, query_string={"lang": lang}, follow_redirects=True)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}"' in html
    left = english_left(html, set())
    assert not left, f"{url}: {left}"


@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize("path", ["/auth/login", "/auth/register"])
def test_sign_in_and_register_have_no_english_left(client, db, path, lang):
    html = client.get(path, query_string={"lang": lang}).get_data(as_text=True)
    left = english_left(html, set())
    assert not left, f"{path}: {left}"
