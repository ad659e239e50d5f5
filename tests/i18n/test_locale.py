"""Choosing the language: Russian by default, ?lang on any URL, the cookie, the switcher,
the account preference, <html lang> and hreflang alternates."""

from __future__ import annotations

import re

import pytest

from app.models import User
from tests.conftest import csrf_token
from tests.factories import make_user

PROFILE_SAVED_RU = "Профиль сохранён."


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


@pytest.fixture
def russian_default(app):
    app.config["DEFAULT_LOCALE"] = "ru"
    yield
    app.config["DEFAULT_LOCALE"] = "en"


def test_a_browser_asking_for_no_known_language_gets_russian(client, russian_default):
    html = client.get("/", headers={"Accept-Language": "de-DE,fr;q=0.8"}).get_data(as_text=True)
    assert html_lang(html) == "ru" and ">Форум<" in html


@pytest.mark.parametrize(("header", "lang"), [("kk-KZ,kk;q=0.9", "kk"), ("ru-RU", "ru"), ("en-US,en;q=0.9", "en")])
def test_the_browser_language_is_used_when_the_site_has_it(client, header, lang):
    assert html_lang(client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)) == lang


def test_lang_on_a_shared_link_sets_the_language_and_keeps_it_in_a_cookie(client):
    response = client.get("/forum/?lang=kk", headers={"Accept-Language": "ru"})
    html = response.get_data(as_text=True)
    assert html_lang(html) == "kk" and "Форум" in html
    assert "lang=kk" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    later = client.get("/", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert html_lang(later) == "kk"  # the cookie beats the browser


def test_an_unknown_lang_is_ignored(client):
    response = client.get("/?lang=%3Cscript%3E", headers={"Accept-Language": "ru"})
    assert response.status_code == 200 and html_lang(response.get_data(as_text=True)) == "ru"
    assert "Set-Cookie" not in response.headers or "lang=" not in response.headers["Set-Cookie"]


def test_the_switcher_links_to_this_page_in_each_language_and_hreflang_alternates_are_absolute(app, client):
    html = client.get("/listings/?q=camry&lang=ru").get_data(as_text=True)
    site = app.config["SITE_URL"]
    for code in ("ru", "kk", "en"):
        assert f'<link rel="alternate" hreflang="{code}" href="{site}/listings/?q=camry&amp;lang={code}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{site}/listings/?q=camry">' in html
    assert 'href="/listings/?q=camry&amp;lang=kk" hreflang="kk" lang="kk">Қазақша</a>' in html
    assert html.count(">Қазақша<") == 2  # navbar and footer


def test_a_member_choosing_a_language_keeps_it_on_the_account(client, auth, db):
    make_user("buyer")
    auth.login()
    client.get("/?lang=kk")
    assert db.session.scalar(db.select(User.locale).where(User.username == "buyer")) == "kk"
    client.delete_cookie("lang")
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert html_lang(html) == "kk"  # the account, on a browser without the cookie


def test_a_member_sets_the_language_in_settings(client, auth, db):
    make_user("buyer")
    auth.login()
    page = client.get("/settings?lang=en").get_data(as_text=True)
    assert 'name="locale"' in page
    data = {"display_name": "", "city": "", "about": "", "phone": "", "locale": "ru",
            "csrf_token": csrf_token(client, "/settings")}  # fmt: skip
    response = client.post("/settings", data=data, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert html_lang(html) == "ru" and PROFILE_SAVED_RU in html
    assert db.session.scalar(db.select(User.locale).where(User.username == "buyer")) == "ru"
    data["locale"] = "xx"
    assert client.post("/settings", data=data).status_code == 200  # refused with a field error


def test_wtforms_own_messages_are_translated(client):
    for lang, text in (("ru", "Обязательное поле."), ("kk", "Бұл өріс міндетті түрде керек.")):
        token = csrf_token(client, f"/auth/login?lang={lang}")
        html = client.post("/auth/login", data={"csrf_token": token}).get_data(as_text=True)
        assert text in html, lang


def test_a_socketio_error_ack_comes_in_the_members_language(client, auth, socketio_client, db):
    make_user("buyer", locale="kk")
    auth.login()
    socket = socketio_client()
    ack = socket.emit("send_message", {"to": "nobody-here", "body": "hi", "client_id": "c1"}, callback=True)
    assert ack["ok"] is False and not re.search(r"[A-Za-z]{4,}", ack["error"]), ack
