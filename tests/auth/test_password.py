"""Changing and resetting passwords."""

import re
import time

from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from app.notifications.email import outbox
from tests.conftest import csrf_token


def change(client, current, new, confirm=None):
    return client.post(
        "/auth/password",
        data={
            "current": current,
            "password": new,
            "confirm": confirm or new,
            "csrf_token": csrf_token(client, "/auth/password"),
        },
    )


def test_change_password_ends_other_sessions_but_keeps_this_one(app, client, auth, user):
    auth.login()
    other = app.test_client()
    other.post(
        "/auth/login",
        data={"login": "buyer", "password": "correct-horse-1", "csrf_token": csrf_token(other, "/auth/login")},
    )
    assert other.get("/settings").status_code == 200
    response = change(client, "correct-horse-1", "brand-new-pass")
    assert response.status_code == 302
    assert client.get("/settings").status_code == 200
    assert other.get("/settings").status_code == 302
    auth.logout()
    assert auth.login(password="brand-new-pass").status_code == 302


def test_change_password_needs_the_current_one(client, auth, user):
    auth.login()
    response = change(client, "not-my-password", "brand-new-pass")
    assert "The current password is wrong." in response.get_data(as_text=True)


def reset_link() -> str:
    """The path of the reset link in the last mail (the link itself starts with SITE_URL)."""
    return re.search(r"http://localhost:5000(/auth/reset/\S+)", outbox[-1].get_content()).group(1)


def ask_reset(client, email):
    return client.post("/auth/reset", data={"email": email, "csrf_token": csrf_token(client, "/auth/reset")})


def set_new(client, link, password="after-reset-1"):
    return client.post(link, data={"password": password, "confirm": password, "csrf_token": csrf_token(client, link)})


def test_reset_flow_and_token_is_single_use(client, auth, user):
    outbox.clear()
    response = ask_reset(client, "BUYER@example.com")
    assert response.status_code == 302
    link = reset_link()
    assert set_new(client, link).status_code == 302
    assert auth.login(password="after-reset-1").status_code == 302
    auth.logout()
    reused = client.get(link)
    assert reused.status_code == 302 and reused.headers["Location"].endswith("/auth/reset")
    token = csrf_token(client, "/auth/reset")
    replay = client.post(link, data={"password": "third-password", "confirm": "third-password", "csrf_token": token})
    assert replay.status_code == 302 and replay.headers["Location"].endswith("/auth/reset")
    assert auth.login(password="third-password").status_code == 200  # refused
    assert auth.login(password="after-reset-1").status_code == 302


def test_reset_does_not_reveal_whether_an_account_exists(client, user):
    outbox.clear()
    known = ask_reset(client, "buyer@example.com")
    unknown = ask_reset(client, "stranger@example.com")
    assert known.status_code == unknown.status_code == 302
    page = client.get("/auth/login").get_data(as_text=True)
    assert "If an account uses stranger@example.com" in page
    assert [m["To"] for m in outbox] == ["buyer@example.com"]


def test_expired_reset_token_is_refused(app, client, user):
    class TwoHoursAgo(TimestampSigner):  # max age is one hour
        def get_timestamp(self):
            return int(time.time()) - 7200

    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="password-reset", signer=TwoHoursAgo)
    old = serializer.dumps({"uid": user.id, "h": user.password_hash[-16:]})
    response = client.get(f"/auth/reset/{old}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/reset")


def test_forged_reset_token_is_refused(client, user):
    response = client.get("/auth/reset/not-a-real-token")
    assert response.status_code == 302
