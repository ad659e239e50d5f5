"""Issue 13 item 9: a dealer's website is a link only when it is http(s); a script address
is refused by the form, and one already stored is shown as nothing."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests import factories
from tests.conftest import csrf_token


def dealer_form(client, website: str) -> dict:
    return {"company_name": "Astana Auto", "address": "", "phone": "", "website": website, "hours": "",
            "csrf_token": csrf_token(client, "/settings")}  # fmt: skip


@pytest.mark.parametrize(
    "website",
    [
        "javascript://example.kz/%0aalert(document.cookie)",
        "JavaScript://x%0Aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript://x",
        "ftp://example.kz/",
        "https://",
        "//evil.example/",
        "https://exa mple.kz",
        "http://[::1",
    ],
)
def test_a_dealer_cannot_save_a_script_address_as_website(client, auth, website):
    factories.make_user("dealer", role="dealer")
    auth.login("dealer")
    response = client.post("/settings/dealer", data=dealer_form(client, website))
    assert "Enter a full address, like https://example.kz" in response.get_data(as_text=True)
    page = client.get("/dealers/dealer").get_data(as_text=True)
    assert "javascript" not in page.lower() and '<a href="data:' not in page


def test_an_http_website_is_a_nofollow_ugc_link(client, auth):
    factories.make_user("dealer", role="dealer")
    auth.login("dealer")
    assert client.post("/settings/dealer", data=dealer_form(client, "https://astana-auto.kz")).status_code == 302
    page = client.get("/u/dealer").get_data(as_text=True)
    assert '<a href="https://astana-auto.kz" rel="nofollow ugc noopener" target="_blank">' in page


def test_a_script_address_stored_before_the_rule_is_not_a_link(client):
    user = factories.make_user("dealer", role="dealer")
    user.dealer_profile.website = "javascript://x%0aalert(1)"
    db.session.commit()
    for path in ("/u/dealer", "/dealers/dealer"):
        page = client.get(path).get_data(as_text=True)
        assert 'href="javascript' not in page
