"""Public profiles and settings."""

import io
from pathlib import Path

import pytest
from PIL import Image

from tests import images
from tests.conftest import csrf_token
from tests.factories import make_user


def test_public_profile_shows_name_city_and_role(client, db):
    make_user("autohouse", role="dealer", display_name="AutoHouse", city="Almaty")
    page = client.get("/u/autohouse").get_data(as_text=True)
    assert "AutoHouse" in page and "Almaty" in page and "Dealer" in page and "Member since" in page


def test_profile_url_is_case_insensitive_and_canonical(client, db):
    make_user("Ivan")
    response = client.get("/u/IVAN")
    assert response.status_code == 301 and response.headers["Location"].endswith("/u/Ivan")
    assert client.get("/u/nobody-here").status_code == 404


def test_phone_only_to_signed_in_users_when_switched_on(client, auth, db):
    make_user("seller", phone="+7 701 123 45 67", phone_visible=True)
    make_user("buyer")
    assert "+7 701 123 45 67" not in client.get("/u/seller").get_data(as_text=True)
    auth.login()
    assert "+7 701 123 45 67" in client.get("/u/seller").get_data(as_text=True)


def save_profile(client, **fields):
    data = {"display_name": "", "city": "", "about": "", "phone": "", "csrf_token": csrf_token(client, "/settings")}
    data.update(fields)
    return client.post("/settings", data=data)


def test_edit_profile(client, auth, user):
    auth.login()
    response = save_profile(client, display_name="Buyer Bob", city="Astana", about="<b>I like Camrys</b>")
    assert response.status_code == 302
    page = client.get("/u/buyer").get_data(as_text=True)
    assert "Buyer Bob" in page and "Astana" in page
    assert "&lt;b&gt;I like Camrys&lt;/b&gt;" in page  # markup shown as text


def test_bad_phone_gets_a_field_error(client, auth, user):
    auth.login()
    response = save_profile(client, phone="call me maybe")
    assert response.status_code == 200
    assert "Enter a Kazakhstan phone number" in response.get_data(as_text=True)


def test_settings_need_sign_in(client, db):
    response = client.get("/settings")
    assert response.status_code == 302 and "/auth/login?next=%2Fsettings" in response.headers["Location"]


def test_dealer_fields_only_for_dealers(client, auth, db):
    make_user("buyer")
    data = {"company_name": "Fake Motors", "csrf_token": None}
    auth.login()
    data["csrf_token"] = csrf_token(client, "/settings")
    assert client.post("/settings/dealer", data=data).status_code == 403
    assert "Company name" not in client.get("/settings").get_data(as_text=True)


def test_dealer_edits_company_details(client, auth, db):
    make_user("dealer", role="dealer")
    auth.login("dealer")
    data = {"company_name": "Astana Auto", "address": "Kabanbay 1", "phone": "+7 7172 55 00 00", "website": "https://astana-auto.kz",
            "hours": "9-18", "csrf_token": csrf_token(client, "/settings")}  # fmt: skip
    assert client.post("/settings/dealer", data=data).status_code == 302
    assert "Astana Auto" in client.get("/u/dealer").get_data(as_text=True)
    data["website"] = "not a url"
    assert "Enter a full address" in client.post("/settings/dealer", data=data).get_data(as_text=True)


def test_default_avatar_is_generated(client, db):
    make_user("zed")
    response = client.get("/u/zed/avatar.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert ">Z</text>" in response.get_data(as_text=True)


def upload(client, content: bytes, name="photo.jpg"):
    token = csrf_token(client, "/settings")
    return client.post(
        "/settings/avatar",
        data={"avatar": (io.BytesIO(content), name), "csrf_token": token},
        content_type="multipart/form-data",
    )


def test_avatar_upload_strips_gps_and_makes_two_square_sizes(app, client, auth, user, db):
    auth.login()
    assert upload(client, images.jpeg_with_gps()).status_code == 302
    db.session.refresh(user)
    folder = Path(app.config["UPLOAD_FOLDER"]) / "avatars"
    for size in (256, 64):
        with Image.open(folder / f"{user.avatar}_{size}.jpg") as stored:
            assert stored.size == (size, size)
            assert not stored.getexif()  # no GPS, no camera make: nothing
    page = client.get("/u/buyer").get_data(as_text=True)
    assert f"/uploads/avatars/{user.avatar}_256.jpg" in page
    assert client.get(f"/uploads/avatars/{user.avatar}_64.jpg").status_code == 200


@pytest.mark.parametrize(
    "content, name, message",
    [
        (images.TEXT_AS_JPEG, "photo.jpg", "This file is not a picture we can read."),
        (images.SVG, "logo.svg", "JPEG, PNG, WebP or GIF only."),
        (images.SVG, "logo.jpg", "This file is not a picture we can read."),
        (images.bomb(), "bomb.png", "too many pixels"),
        (b"", "empty.jpg", "The file is empty."),
    ],
)
def test_bad_avatar_files_are_refused_with_a_message(client, auth, user, db, content, name, message):
    auth.login()
    response = upload(client, content, name)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.avatar is None


def test_body_over_max_content_length_is_413(app, client, auth, user):
    auth.login()
    token = csrf_token(client, "/settings")
    big = b"\xff" * (app.config["MAX_CONTENT_LENGTH"] + 1024)
    response = client.post(
        "/settings/avatar",
        data={"avatar": (io.BytesIO(big), "big.jpg"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "File too large" in response.get_data(as_text=True)


def test_members_can_report_a_profile_and_moderators_can_ban_from_it(client, auth, db):
    target = make_user("spammer")
    make_user("buyer")
    make_user("moder", role="moderator")
    auth.login("buyer")
    page = client.get("/u/spammer").get_data(as_text=True)
    assert f"/report/user/{target.id}" in page and f"/admin/users/{target.id}/ban" not in page
    auth.logout()
    auth.login("moder")
    page = client.get("/u/spammer").get_data(as_text=True)
    assert f"/admin/users/{target.id}/ban" in page
    assert client.get(f"/admin/users/{target.id}/ban").status_code == 200
