"""Issue 13 item 9: photo uploads are rate-limited per member, one allowance for listing
photos, avatars, forum and chat pictures; each file counts. Past it: 429 with a message
(JSON for the upload scripts, the site's page for the avatar form)."""

from __future__ import annotations

import io

import pytest

from tests import factories, images
from tests.conftest import AuthActions, csrf_token
from tests.listings.helpers import page_token

LIMIT_MESSAGE = "You have uploaded too many pictures for now. Wait a while and try again."


@pytest.fixture
def three_an_hour(app, monkeypatch):
    monkeypatch.setitem(app.config, "PHOTO_UPLOAD_RATE_LIMIT", "3 per hour")


def upload_photos(client, listing, count: int, token: str):
    files = [(io.BytesIO(images.png()), f"{n}.png") for n in range(count)]
    return client.post(
        f"/listings/{listing.id}/photos",
        data={"photos": files},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )


def test_a_member_uploading_past_the_limit_gets_429_on_every_kind_of_upload(client, auth, three_an_hour):
    seller = factories.make_user("seller")
    listing = factories.make_listing(seller)
    auth.login("seller")
    token = page_token(client, f"/listings/{listing.id}/edit")
    assert upload_photos(client, listing, 3, token).status_code == 200  # three files, three counted
    refused = upload_photos(client, listing, 1, token)
    assert refused.status_code == 429
    assert refused.get_json()["message"] == LIMIT_MESSAGE
    avatar = client.post(
        "/settings/avatar",
        data={"avatar": (io.BytesIO(images.png()), "me.png"), "csrf_token": csrf_token(client, "/settings")},
        headers={"Accept": "text/html"},
    )
    assert avatar.status_code == 429 and LIMIT_MESSAGE in avatar.get_data(as_text=True)
    forum = client.post(
        "/forum/upload",
        data={"image": (io.BytesIO(images.png()), "a.png")},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )
    assert forum.status_code == 429


def test_another_member_keeps_their_own_allowance(app, client, auth, three_an_hour):
    seller = factories.make_user("seller")
    listing = factories.make_listing(seller)
    auth.login("seller")
    token = page_token(client, f"/listings/{listing.id}/edit")
    assert upload_photos(client, listing, 3, token).status_code == 200
    other = factories.make_user("other")
    other_listing = factories.make_listing(other)
    other_client = app.test_client()
    AuthActions(other_client).login("other")
    other_token = page_token(other_client, f"/listings/{other_listing.id}/edit")
    assert upload_photos(other_client, other_listing, 2, other_token).status_code == 200
