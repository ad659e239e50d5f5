"""Registration: the rules a person meets on the form."""

import pytest
from sqlalchemy import select

from app.models import User
from app.notifications.email import outbox
from tests.conftest import csrf_token
from tests.factories import make_user


def register(client, username="newdriver", email="new@example.com", password="long-enough-1", confirm=None):
    return client.post(
        "/auth/register",
        data={
            "username": username,
            "email": email,
            "password": password,
            "confirm": confirm if confirm is not None else password,
            "csrf_token": csrf_token(client, "/auth/register"),
        },
    )


def test_register_creates_account_and_mails_confirmation(client, db):
    outbox.clear()
    response = register(client, email="  New@Example.COM ")
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/login")
    user = db.session.scalar(select(User).where(User.username == "newdriver"))
    assert user.email == "new@example.com"
    assert user.check_password("long-enough-1")
    assert outbox[-1]["To"] == "new@example.com" and "/auth/confirm/" in outbox[-1].get_content()


def test_confirmation_link_confirms_email(client, db):
    outbox.clear()
    register(client)
    link = outbox[-1].get_content().split("http://localhost:5000")[1].split()[0]
    assert client.get(link).status_code == 302
    assert db.session.scalar(select(User)).email_confirmed_at is not None
    assert client.get("/auth/confirm/forged-token").status_code == 404


def test_username_differing_only_by_case_is_refused(client, db):
    make_user("Ivan")
    response = register(client, username="iVAN", email="other@example.com")
    assert response.status_code == 200
    assert "This username is taken." in response.get_data(as_text=True)
    assert db.session.query(User).count() == 1


def test_fullwidth_username_is_normalised_before_comparing(client, db):
    make_user("ivan")
    response = register(client, username="ｉｖａｎ", email="other@example.com")  # NFKC → "ivan"
    assert "This username is taken." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "username, message",
    [
        ("ab", "3 to 30 characters"),
        ("x" * 31, "3 to 30 characters"),
        ("bad name", "Invisible, space and control"),
        ("zero\u200bwidth", "Invisible, space and control"),
        ("ctrl\x07char", "Invisible, space and control"),
        ("semi;colon", "letters, digits and _ . -"),
        ("<script>", "letters, digits and _ . -"),
    ],
)
def test_bad_usernames_are_refused_with_reason(client, db, username, message):
    response = register(client, username=username)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.query(User).count() == 0


def test_cyrillic_username_is_accepted(client, db):
    assert register(client, username="Айгерим_88").status_code == 302


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("email", "not-an-email", "Enter a valid email address."),
        ("password", "short", "At least 8 characters."),
        ("confirm", "different-1", "The passwords do not match."),
    ],
)
def test_invalid_email_and_weak_password(client, db, field, value, message):
    data = {field: value}
    response = register(client, **data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.query(User).count() == 0


def test_taken_email_gets_the_same_answer_and_no_second_account(client, db):
    make_user("first", email="taken@example.com")
    outbox.clear()
    fresh = register(client, username="second", email="fresh@example.com")
    taken = register(client, username="third", email="taken@example.com")
    assert fresh.status_code == taken.status_code == 302
    assert fresh.headers["Location"] == taken.headers["Location"]
    flashes = [client.get("/auth/login").get_data(as_text=True)]
    assert "We have sent a message to" in flashes[0]
    assert db.session.query(User).count() == 2
    assert "already has one" in outbox[-1].get_content()


def test_post_without_csrf_token_is_400(client, db):
    response = client.post(
        "/auth/register", data={"username": "x", "email": "a@b.cd", "password": "p" * 9, "confirm": "p" * 9}
    )
    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)
