"""A banned seller's cars leave every public list, their listing pages say the seller is
unavailable, and nobody can start a conversation with them (page, picture upload, socket)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest

from app.core.time import utcnow
from app.extensions import db
from tests import factories, images
from tests.admin.test_bans import ban_through_admin
from tests.conftest import AuthActions, csrf_token


@pytest.fixture
def crook_and_honest(app):
    crook = factories.make_user("crook", role="dealer", phone="+7 701 000 00 01", phone_visible=True)
    honest = factories.make_user("honest")
    factories.make_user("buyer")
    bad = factories.make_listing(crook, model="Camry", price=12_000_000)
    good = factories.make_listing(honest, model="Camry", price=12_100_000)
    return crook, honest, bad, good


def card_ids(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'data-listing-id="(\d+)"', html)}


def test_a_ban_takes_the_sellers_cars_off_search_home_similar_and_dealer_pages(app, client, crook_and_honest):
    crook, honest, bad, good = crook_and_honest
    assert bad.id in card_ids(client.get("/listings/").get_data(as_text=True))
    ban_through_admin(app, crook.id, "30")

    assert card_ids(client.get("/listings/").get_data(as_text=True)) == {good.id}
    assert bad.id not in card_ids(client.get("/").get_data(as_text=True))
    assert bad.id not in card_ids(client.get(f"/listings/{good.id}").get_data(as_text=True))
    assert card_ids(client.get("/dealers/crook").get_data(as_text=True)) == set()
    assert "1 car" in client.get("/listings/").get_data(as_text=True)


def test_an_expired_ban_brings_the_cars_back(app, client, crook_and_honest):
    crook, _, bad, _ = crook_and_honest
    crook.banned_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert bad.id in card_ids(client.get("/listings/").get_data(as_text=True))


def test_the_listing_page_says_the_seller_is_unavailable(app, client, crook_and_honest):
    crook, _, bad, _ = crook_and_honest
    ban_through_admin(app, crook.id)
    AuthActions(client).login("buyer")
    html = client.get(f"/listings/{bad.id}").get_data(as_text=True)
    assert "The seller is unavailable" in html
    assert 'id="write-seller"' not in html and "+7 701 000 00 01" not in html


def test_favourites_move_a_banned_sellers_car_to_no_longer_available(app, client, crook_and_honest):
    crook, _, bad, good = crook_and_honest
    AuthActions(client).login("buyer")
    for listing in (bad, good):
        token = csrf_token(client, f"/listings/{listing.id}")
        client.post(f"/listings/{listing.id}/favorite", data={"csrf_token": token, "confirm": "1"})
    ban_through_admin(app, crook.id)
    html = client.get("/favorites").get_data(as_text=True)
    on_sale, unavailable = html.split('id="favorites-unavailable"')
    assert card_ids(on_sale) == {good.id} and card_ids(unavailable) == {bad.id}


def test_nobody_can_write_to_a_banned_member(app, client, socketio_client, crook_and_honest):
    crook, *_ = crook_and_honest
    ban_through_admin(app, crook.id)
    AuthActions(client).login("buyer")
    html = client.get("/chat/crook").get_data(as_text=True)
    assert "crook cannot receive messages: the account is suspended." in html
    assert 'id="chat-form"' not in html

    sio = socketio_client(client)
    ack = sio.emit("send_message", {"to": "crook", "body": "Is it still for sale?", "client_id": "c1"}, callback=True)
    assert ack == {"ok": False, "error": "crook cannot receive messages: the account is suspended."}

    token = csrf_token(client, "/chat/crook")
    answer = client.post(
        "/chat/crook/images",
        data={"image": (io.BytesIO(images.png()), "a.png"), "client_id": "c2", "csrf_token": token},
        headers={"X-CSRFToken": token},
    )
    assert answer.status_code == 400 and "the account is suspended" in answer.get_json()["error"]
