"""Hostile input from issue 13 item 6: each request that used to answer 500 (on PostgreSQL,
which refuses NUL characters) now gets a page, an ignored filter or a clear form error."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.inputs import clean_text, parse_int
from app.models import Listing, User
from tests import factories
from tests.conftest import AuthActions, csrf_token, form_tokens
from tests.listings.helpers import listing_form

THIRTY_DIGITS = "9" * 30


@pytest.mark.parametrize(
    "path",
    [
        "/listings/?year_from=²",
        "/listings/?price_to=³&mileage_max=¹",
        "/listings/?brand=" + THIRTY_DIGITS,
        "/listings/?after=2024-01-01T00:00:00~²",
        "/listings/?sort=price_asc&after=²~1",
        "/listings/?q=%00",
        "/listings/?q=%ED%A0%80",  # a lone surrogate, UTF-8 encoded
        "/forum/search?q=%00",
        "/forum/search?q=a%00b&page=" + THIRTY_DIGITS,
        "/forum/?page=-5",
        "/dealers?q=%00&page=²",
        "/chat/%00",
        "/u/%00",
        "/forum/c/%00",
        "/p/%00",
        "/auth/login?next=%00",
    ],
)
def test_an_anonymous_attacker_gets_no_server_error_from_hostile_query_strings(client, path):
    response = client.get(path)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]


@pytest.mark.parametrize("path", ["/chat/?page=" + THIRTY_DIGITS, "/notifications/?page=" + THIRTY_DIGITS])
def test_a_thirty_digit_page_number_is_the_first_page(client, auth, user, path):
    auth.login()
    response = client.get(path)
    assert response.status_code == 200


def test_a_nul_in_the_sign_in_form_is_a_failed_sign_in_not_an_error(client, user):
    response = client.post(
        "/auth/login",
        data={"login": "buy\x00er", "password": "x\x00", "csrf_token": csrf_token(client, "/auth/login")},
    )
    assert response.status_code in (200, 400)


def test_nul_and_controls_in_profile_fields_are_removed_before_saving(client, auth, user):
    auth.login()
    response = client.post(
        "/settings",
        data={
            "display_name": "Ai\x00gerim\x07",
            "city": "Al\x00maty",
            "about": "Line one\r\nline\ttwo\x00\x1b[31m",
            "phone": "",
            "csrf_token": csrf_token(client, "/settings"),
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    saved = db.session.get(User, user.id)
    db.session.refresh(saved)
    assert saved.display_name == "Aigerim"
    assert saved.about == "Line one\r\nline\ttwo[31m"


def test_nul_in_a_forum_topic_is_removed(client, auth):
    from tests.forum.helpers import make_category, make_user

    make_user("writer")
    category = make_category()
    auth.login("writer")
    path = f"/forum/c/{category.slug}/new"
    response = client.post(
        path,
        data={"title": "Winter\x00 tyres", "body": "Which\x00 ones?", **form_tokens(client, path)},
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Winter tyres" in page and "Which ones?" in page


def test_engine_volume_snan_infinity_and_huge_exponents_are_form_errors(client, auth, user):
    auth.login()
    for value in ("sNaN", "NaN", "inf", "-Infinity", "1e999", "1" * 40):
        response = client.post("/listings/new", data=listing_form(client, engine_volume_l=value))
        assert response.status_code == 400, value
        assert "Engine volume is between 0.1 and 10 litres." in response.get_data(as_text=True), value
    assert db.session.scalar(select(Listing)) is None


def test_a_chat_message_with_a_nul_gets_an_error_ack(app, socketio_client):
    factories.make_user("buyer")
    factories.make_user("seller")
    client = app.test_client()
    AuthActions(client).login("buyer")
    sio = socketio_client(client)
    ack = sio.emit("send_message", {"to": "seller", "body": "hi\x00there", "client_id": "n1"}, callback=True)
    assert ack["ok"] is False and ack["error"]
    ack = sio.emit("send_message", {"to": "sel\x00ler", "body": "hi", "client_id": "n2"}, callback=True)
    assert ack["ok"] is False
    ack = sio.emit("send_message", {"to": "seller", "body": "hi\ud800", "client_id": "n3"}, callback=True)
    assert ack["ok"] is False
    ack = sio.emit("send_message", {"to": "seller", "body": "tab\tand\nnewline", "client_id": "n4"}, callback=True)
    assert ack["ok"] is True and ack["message"]["body"] == "tab\tand\nnewline"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("²", None),
        ("١٢", None),  # Arabic-Indic digits: int() reads them, a page number is ASCII
        ("-3", None),
        ("+3", None),
        ("1_000", None),
        (THIRTY_DIGITS, None),
        ("", None),
        (None, None),
    ],
)
def test_query_numbers_are_ascii_digits_within_a_bound(raw, expected):
    assert parse_int(raw, maximum=10**9) == expected


def test_clean_text_keeps_tabs_newlines_and_letters_and_drops_the_rest():
    assert clean_text("Ақтөбе\t\r\n\x00\x1f\x7f\ud800\u200f") == "Ақтөбе\t\r\n\u200f"
    assert clean_text("e\u0301") == "é"  # one spelling (NFC) for one word


def test_invalid_utf8_and_encoded_surrogates_in_a_form_body_are_no_error(client, user):
    token = csrf_token(client, "/auth/login")
    for body in (b"login=%ED%A0%80&password=x&csrf_token=", b"login=\xed\xa0\x80\xff&password=x&csrf_token="):
        response = client.post(
            "/auth/login", data=body + token.encode(), content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code in (200, 400)


def test_a_lone_surrogate_in_a_json_body_is_removed(client, auth, user):
    from tests.listings.helpers import page_token

    listing = factories.make_listing(user)
    auth.login()
    token = page_token(client, f"/listings/{listing.id}/edit")
    response = client.post(
        f"/listings/{listing.id}/photos/order",
        data='{"ids": ["\\ud800"], "\\u0000": 1}',
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "Send the list of photo ids."
