"""Registration: the rules a person meets on the form."""

import re

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


def test_register_signs_the_new_member_in_and_mails_confirmation(client, db):
    outbox.clear()
    response = register(client, email="  New@Example.COM ")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    user = db.session.scalar(select(User).where(User.username == "newdriver"))
    assert user.email == "new@example.com"
    assert user.check_password("long-enough-1")
    assert outbox[-1]["To"] == "new@example.com" and "/auth/confirm/" in outbox[-1].get_content()
    home = client.get("/").get_data(as_text=True)
    assert "Welcome to Garage, newdriver!" in home
    assert 'data-username="newdriver"' in home  # signed in
    assert "We sent a confirmation mail to new@example.com" in home and "check the spam folder" in home


def test_the_banner_stays_until_confirmed_and_resends_a_few_times_an_hour(client, db):
    register(client)
    for page in ("/listings/", "/forum/", "/settings"):
        assert 'id="confirm-banner"' in client.get(page).get_data(as_text=True), page
    outbox.clear()
    token = csrf_token(client, "/listings/")
    answers = [client.post("/auth/confirm", data={"csrf_token": token, "next": "/listings/?brand=1"}) for _ in range(6)]
    assert [a.status_code for a in answers] == [302] * 5 + [429]
    assert answers[0].headers["Location"] == "/listings/?brand=1"
    assert len(outbox) == 5 and all("/auth/confirm/" in m.get_content() for m in outbox)
    link = outbox[-1].get_content().split("http://localhost:5000")[1].split()[0]
    client.get(link)
    assert 'id="confirm-banner"' not in client.get("/listings/").get_data(as_text=True)


def test_resend_goes_back_only_to_a_page_of_this_site(client, db):
    register(client)
    token = csrf_token(client, "/")
    answer = client.post("/auth/confirm", data={"csrf_token": token, "next": "//evil.example/x"})
    assert answer.headers["Location"] == "/settings"


def test_sign_in_and_register_fields_are_focused(client, db):
    login = client.get("/auth/login").get_data(as_text=True)
    sign_up = client.get("/auth/register").get_data(as_text=True)
    assert re.search(r'<input[^>]*autofocus[^>]*name="login"', login)
    assert re.search(r'<input[^>]*autofocus[^>]*name="username"', sign_up)


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
        ("semi;colon", "letters, digits and _ . -"),
        ("<script>", "letters, digits and _ . -"),
    ],
)
def test_bad_usernames_are_refused_with_reason(client, db, username, message):
    response = register(client, username=username)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.query(User).count() == 0


def test_a_control_character_never_reaches_a_username(client, db):
    # The shared input cleaning drops C0 controls before any form sees them.
    assert register(client, username="ctrl\x07char").status_code == 302
    assert db.session.scalars(select(User.username)).all() == ["ctrlchar"]


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


def test_taken_email_makes_no_second_account_and_tells_its_owner(app, client, db):
    make_user("first", email="taken@example.com")
    outbox.clear()
    taken = register(client, username="third", email="taken@example.com")
    assert taken.status_code == 302 and taken.headers["Location"].endswith("/auth/login")
    page = client.get("/auth/login").get_data(as_text=True)
    assert "We have sent a message to taken@example.com" in page
    assert "data-username" not in page  # nobody is signed in as the address's owner
    assert db.session.query(User).count() == 1
    assert "already has one" in outbox[-1].get_content()


def test_post_without_csrf_token_is_400(client, db):
    response = client.post(
        "/auth/register", data={"username": "x", "email": "a@b.cd", "password": "p" * 9, "confirm": "p" * 9}
    )
    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)
