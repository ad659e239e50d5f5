"""Password guessing meets the sign-in limits, and the owner is never locked out by it.

Limits (config defaults, docs/security.md): 30 failures per address in 10 minutes, 10 per
account and address in 10 minutes, 50 per account in an hour from browsers that never
signed in to the account. Tests lower the account limit to keep the number of tries small.
"""

from __future__ import annotations

import re

import pytest

from app.notifications.email import outbox
from tests.conftest import csrf_token
from tests.factories import DEFAULT_PASSWORD, make_user


def visitor(app, address: str):
    """A browser at `address` (its own cookies)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def try_sign_in(client, login: str, password: str = "wrong-guess-1"):
    token = csrf_token(client, "/auth/login")
    return client.post("/auth/login", data={"login": login, "password": password, "csrf_token": token})


@pytest.fixture
def aigerim(db):
    return make_user("aigerim", email="aigerim@example.com")


def test_other_spellings_of_the_account_share_its_allowance(app, aigerim):
    attacker = visitor(app, "203.0.113.7")
    spellings = ["aigerim", "ＡＩＧＥＲＩＭ", "AiGeRiM", "aigerim@example.com", "AIGERIM@EXAMPLE.COM"]
    for attempt in range(10):
        assert try_sign_in(attacker, spellings[attempt % len(spellings)]).status_code == 200
    refused = try_sign_in(attacker, "AIGERIM")
    assert refused.status_code == 429
    text = refused.get_data(as_text=True)
    assert "Too many failed sign-ins. Try again in 10 minutes." in text
    assert 590 <= int(refused.headers["Retry-After"]) <= 601


def test_the_right_password_is_not_even_checked_once_the_pair_is_over_its_limit(app, aigerim):
    attacker = visitor(app, "203.0.113.7")
    for _ in range(10):
        try_sign_in(attacker, "aigerim")
    assert try_sign_in(attacker, "aigerim", DEFAULT_PASSWORD).status_code == 429


def test_the_owner_at_home_signs_in_while_one_stranger_is_held(app, aigerim):
    stranger = visitor(app, "203.0.113.7")
    for _ in range(10):
        try_sign_in(stranger, "aigerim")
    assert try_sign_in(stranger, "aigerim").status_code == 429
    owner = visitor(app, "198.51.100.20")  # a new phone at home: no cookie from before
    assert try_sign_in(owner, "aigerim", DEFAULT_PASSWORD).status_code == 302


def test_many_strangers_are_slowed_but_the_owners_own_browser_is_not(app, aigerim, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_LIMIT", "12 per hour")
    owner = visitor(app, "198.51.100.20")
    assert try_sign_in(owner, "aigerim", DEFAULT_PASSWORD).status_code == 302  # her phone, last week
    owner.post("/auth/logout", data={"csrf_token": csrf_token(owner, "/")})
    for n in range(12):  # a botnet: three tries from each of four addresses
        assert try_sign_in(visitor(app, f"192.0.2.{n // 3 + 1}"), "aigerim").status_code == 200
    newcomer = visitor(app, "192.0.2.99")
    assert try_sign_in(newcomer, "aigerim", DEFAULT_PASSWORD).status_code == 429
    owner.environ_base["REMOTE_ADDR"] = "198.51.100.77"  # the phone moved to another network
    assert try_sign_in(owner, "aigerim", "my-typo-1").status_code == 200  # she may still mistype
    assert try_sign_in(owner, "aigerim", DEFAULT_PASSWORD).status_code == 302


def test_a_forged_known_device_cookie_does_not_help(app, aigerim, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_LIMIT", "3 per hour")
    for n in range(3):
        try_sign_in(visitor(app, f"192.0.2.{n + 1}"), "aigerim")
    forger = visitor(app, "192.0.2.50")
    forger.set_cookie("device", '["user:1"].forged-signature')
    assert try_sign_in(forger, "aigerim", DEFAULT_PASSWORD).status_code == 429


def test_one_address_guessing_many_accounts_is_stopped(app, db):
    scanner = visitor(app, "203.0.113.9")
    for n in range(30):
        assert try_sign_in(scanner, f"someone{n}").status_code == 200
    assert try_sign_in(scanner, "yet-another").status_code == 429
    assert try_sign_in(visitor(app, "203.0.113.10"), "yet-another").status_code == 200  # others are not held


def test_a_success_forgives_the_failures_of_that_browser_and_address(app, aigerim):
    owner = visitor(app, "198.51.100.20")
    for _ in range(9):
        try_sign_in(owner, "aigerim", "forgot-which-1")
    assert try_sign_in(owner, "aigerim", DEFAULT_PASSWORD).status_code == 302
    owner.post("/auth/logout", data={"csrf_token": csrf_token(owner, "/")})
    for _ in range(9):
        assert try_sign_in(owner, "aigerim", "forgot-again-1").status_code == 200


def test_unknown_logins_are_limited_like_real_ones(app, db):
    attacker = visitor(app, "203.0.113.7")
    for spelling in ["ghost", "GHOST", "ｇｈｏｓｔ"] * 3 + ["Ghost"]:
        assert try_sign_in(attacker, spelling).status_code == 200
    assert try_sign_in(attacker, "ghost").status_code == 429


def test_a_password_reset_lets_the_owner_in_while_strangers_are_held(app, aigerim, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_LIMIT", "3 per hour")
    for n in range(3):
        try_sign_in(visitor(app, f"192.0.2.{n + 1}"), "aigerim")
    owner = visitor(app, "198.51.100.20")  # a new phone: not known, held like a stranger
    assert try_sign_in(owner, "aigerim", DEFAULT_PASSWORD).status_code == 429
    outbox.clear()
    owner.post("/auth/reset", data={"email": "aigerim@example.com", "csrf_token": csrf_token(owner, "/auth/reset")})
    link = re.search(r"http://localhost:5000(/auth/reset/\S+)", outbox[-1].get_content()).group(1)
    new = "steppe-wind-at-dawn-7"
    owner.post(link, data={"password": new, "confirm": new, "csrf_token": csrf_token(owner, link)})
    assert try_sign_in(owner, "aigerim", new).status_code == 302
    assert try_sign_in(visitor(app, "192.0.2.9"), "aigerim", new).status_code == 429  # strangers still held


def test_other_limits_say_when_to_try_again_too(app, db):
    asker = visitor(app, "203.0.113.44")
    for n in range(10):  # "10 per hour" on reset requests
        token = csrf_token(asker, "/auth/reset")
        assert asker.post("/auth/reset", data={"email": f"x{n}@example.com", "csrf_token": token}).status_code == 302
    token = csrf_token(asker, "/auth/reset")
    refused = asker.post("/auth/reset", data={"email": "x@example.com", "csrf_token": token})
    assert refused.status_code == 429
    assert "Too many attempts. Try again in 1 hour." in refused.get_data(as_text=True)
    assert refused.headers["Retry-After"].isdigit()
