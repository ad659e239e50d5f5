"""Signing in and out, sessions and remember-me (the sign-in limits: test_login_limits.py)."""

from datetime import timedelta

import pytest

from app.core.time import utcnow
from tests.conftest import csrf_token
from tests.factories import make_user


def test_login_by_username_any_case_or_email(client, auth, user):
    assert auth.login("BUYER").status_code == 302
    auth.logout()
    assert auth.login("buyer@example.com").status_code == 302


def test_wrong_password_is_refused(client, auth, user):
    response = auth.login(password="wrong-password")
    assert response.status_code == 200
    assert "Wrong username or password." in response.get_data(as_text=True)
    assert client.get("/settings").status_code == 302  # still anonymous


def test_unknown_user_gets_the_same_message(auth, db):
    response = auth.login("nobody")
    assert "Wrong username or password." in response.get_data(as_text=True)


def test_next_goes_to_a_local_path_only(client, user):
    token = csrf_token(client, "/auth/login")
    data = {"login": "buyer", "password": "correct-horse-1", "csrf_token": token}
    response = client.post("/auth/login?next=/settings", data=data)
    assert response.headers["Location"] == "/settings"


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)"])
def test_next_to_another_site_is_ignored(client, user, target):
    data = {"login": "buyer", "password": "correct-horse-1", "csrf_token": csrf_token(client, "/auth/login")}
    response = client.post("/auth/login", query_string={"next": target}, data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_logout_must_be_post(client, auth, user):
    auth.login()
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/settings").status_code == 200


def test_old_session_cookie_replayed_after_logout_is_refused(app, client, auth, user):
    auth.login(remember=True)
    stolen = {c.key: c.value for c in client._cookies.values()}
    assert "remember_token" in stolen and "session" in stolen
    auth.logout()
    replay = app.test_client()
    for name, value in stolen.items():
        replay.set_cookie(name, value)
    response = replay.get("/settings")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_remember_cookie_alone_signs_in_until_logout(app, client, auth, user):
    auth.login(remember=True)
    remember = client.get_cookie("remember_token").value
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember)
    assert fresh.get("/settings").status_code == 200
    auth.logout()
    later = app.test_client()
    later.set_cookie("remember_token", remember)
    assert later.get("/settings").status_code == 302


def test_login_starts_a_new_session(client, auth, user):
    client.get("/auth/login")
    with client.session_transaction() as session:
        session["planted"] = "by-attacker"
    auth.login()
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{user.id}:")


def test_banned_user_is_told_why_and_until_when(auth, db):
    make_user("rude", banned_until=utcnow() + timedelta(days=3), ban_reason="spam in the forum")
    response = auth.login("rude")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This account is banned until" in body and "spam in the forum" in body


def test_successful_logins_do_not_use_up_the_allowance(client, auth, user):
    for _ in range(12):
        assert auth.login().status_code == 302
        auth.logout()
