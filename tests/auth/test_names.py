"""Impersonation: look-alike usernames, mixed alphabets and staff-like names are refused,
for usernames and for display and company names (moderators and admins excepted)."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade
from sqlalchemy import select, text

from app import create_app
from app.extensions import db as _db
from app.models import User
from tests.conftest import Config, csrf_token
from tests.factories import make_user

MIXED = "Use one alphabet in a username: do not mix Latin, Cyrillic or Greek letters."
RESERVED = "This name is kept for the site&#39;s staff. Choose another one."


def register(client, username: str, email: str = "new@example.com"):
    token = csrf_token(client, "/auth/register")
    data = {"username": username, "email": email, "password": "quiet-harbour-71", "confirm": "quiet-harbour-71",
            "csrf_token": token}  # fmt: skip
    return client.post("/auth/register", data=data)


def refused_with(response, message: str) -> bool:
    return response.status_code == 200 and message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "username",
    [
        "\u0430dmin",  # Cyrillic а
        "m\u03bfderator",  # Greek ο
        "\u0455upport",  # Cyrillic ѕ
        "Aig\u0435rim",  # Cyrillic е
    ],
)
def test_a_username_mixing_alphabets_is_refused(client, db, username):
    assert refused_with(register(client, username), MIXED)
    assert _db.session.scalar(select(User)) is None


@pytest.mark.parametrize(
    "username",
    ["admin", "Administrator", "support", "garage", "root", "ADMIN_2024", "a.d.m.i.n", "Adm1n", "m0derat0r",
     "garage_support", "garageadmin", "official-dealer", "Администратор", "модератор", "гараж", "Әкімші"],
)  # fmt: skip
def test_a_staff_like_username_is_refused(client, db, username):
    assert refused_with(register(client, username), RESERVED)


@pytest.mark.parametrize(
    "existing, lookalike",
    [("aigerim", "aigerirn"), ("daniyar1", "daniyarl"), ("marat0", "maratO"), ("ivan", "IVAN"), ("ivan", "ｉｖａｎ")],
)
def test_a_username_that_looks_like_an_existing_one_is_refused(client, db, existing, lookalike):
    make_user(existing)
    response = register(client, lookalike)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"This username looks too much like @{existing}." in text or "This username is taken." in text
    assert _db.session.query(User).count() == 1


@pytest.mark.parametrize("username", ["Айгерим_88", "Ақжол", "badminton", "helper", "informatics", "Bond007"])
def test_ordinary_names_in_one_alphabet_are_welcome(client, db, username):
    assert register(client, username).status_code == 302


def test_the_stored_skeleton_keeps_look_alikes_apart(db):
    user = make_user("aigerim")
    assert user.username_skeleton == "aigerirn"  # TR39: m looks like rn


# --- display and company names ---------------------------------------------------------


def save_profile(client, display_name: str):
    data = {"display_name": display_name, "city": "", "about": "", "phone": "",
            "csrf_token": csrf_token(client, "/settings")}  # fmt: skip
    return client.post("/settings", data=data)


@pytest.mark.parametrize(
    "name, message",
    [
        ("Garage Admin", RESERVED),
        ("Support", RESERVED),
        ("Garage Support Team", RESERVED),
        ("Администратор", RESERVED),
        ("Модератор", RESERVED),
        ("Гараж", RESERVED),
        ("Служба поддержки", RESERVED),
        ("G\u0430rage fan", "Write each word of the name in one alphabet"),  # Cyrillic а
    ],
)
def test_a_member_cannot_pose_as_staff_in_the_display_name(client, auth, user, name, message):
    auth.login()
    response = save_profile(client, name)
    assert refused_with(response, message)
    assert _db.session.get(User, user.id).display_name == ""


@pytest.mark.parametrize("name", ["Aigerim Сапарова", "Toyota Центр", "Марат из Шымкента", "Badminton fan"])
def test_ordinary_display_names_are_saved(client, auth, user, name):
    auth.login()
    assert save_profile(client, name).status_code == 302
    assert _db.session.get(User, user.id).display_name == name


def test_a_moderator_may_say_so(client, auth, db):
    make_user("marat", role="moderator")
    auth.login("marat")
    assert save_profile(client, "Marat (moderator)").status_code == 302


def test_a_dealer_company_cannot_pose_as_the_site(client, auth, db):
    make_user("autohouse", role="dealer")
    auth.login("autohouse")
    data = {"company_name": "Garage Official", "csrf_token": csrf_token(client, "/settings")}
    response = client.post("/settings/dealer", data=data)
    assert response.status_code == 400 and RESERVED in response.get_data(as_text=True)


def test_createadmin_may_take_a_reserved_name(runner, db):
    result = runner.invoke(
        args=["createadmin", "--username", "admin", "--email", "boss@example.com", "--password", "quiet-harbour-71"]
    )
    assert result.exit_code == 0, result.output
    assert _db.session.scalar(select(User.role).where(User.username == "admin")) == "admin"


# --- the migration's backfill --------------------------------------------------------------


def test_the_migration_backfills_skeletons_and_leaves_an_older_look_alike_alone(empty_database_url):
    class OldConfig(Config):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(OldConfig)
    with app.app_context():
        upgrade(revision="0012")
        with _db.engine.begin() as connection:
            for n, name in enumerate(["ivan1", "ivanl", "aigerim"], start=1):
                connection.execute(
                    text("INSERT INTO users (id, username, username_key, email, password_hash, display_name, about, "
                         "city, phone, phone_visible, role, ban_reason, created_at, session_version) VALUES "
                         "(:id, :name, :name, :email, 'x', '', '', '', '', false, 'user', '', CURRENT_TIMESTAMP, 1)"),
                    {"id": n, "name": name, "email": f"{name}@example.com"},
                )  # fmt: skip
        upgrade(revision="0013")
        with _db.engine.connect() as connection:
            rows = dict(connection.execute(text("SELECT username, username_skeleton FROM users")).all())
        _db.engine.dispose()
    assert rows == {"ivan1": "ivanl", "ivanl": None, "aigerim": "aigerirn"}


def test_the_refusal_is_in_russian_for_a_russian_reader(client, db):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru"
    text = register(client, "администратор").get_data(as_text=True)
    assert "Это имя зарезервировано для сотрудников сайта. Выберите другое." in text
