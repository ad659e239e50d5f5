"""Creating, editing and managing listings: validation, ownership, status, photos."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from app.extensions import db
from app.listings.vin import check_digit, vin_problem
from app.models import Listing, ListingPhoto, Notification, PriceChange
from tests import factories, images
from tests.listings.helpers import listing_form, page_token


@pytest.fixture
def seller(app):
    return factories.make_user("seller")


def test_a_seller_creates_a_draft_adds_a_photo_and_publishes_it(app, client, auth, seller):
    factories.make_user("buyer")
    auth.login("seller")
    response = client.post("/listings/new", data=listing_form(client), follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Your draft is saved. Add at least one photo, then press Publish." in html
    assert 'id="publish-button" disabled' in html
    listing = db.session.scalar(select(Listing))
    assert listing.title == "Toyota Camry 2018" and listing.seller_id == seller.id and listing.status == "draft"
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert "This listing is a draft: only you can see it." in page and "One owner" in page
    assert "12,500,000\u00a0₸" in page

    # Nobody else sees a draft, and search does not list it.
    other = app.test_client()
    assert other.get(f"/listings/{listing.id}").status_code == 404
    assert f'data-listing-id="{listing.id}"' not in other.get("/listings/").get_data(as_text=True)

    # Publish is refused without a photo, then works once there is one.
    token = page_token(client, f"/listings/{listing.id}/edit")
    refused = client.post(f"/listings/{listing.id}/publish", data={"csrf_token": token, "confirm": "1"})
    assert refused.status_code == 302 and "#photos" in refused.headers["Location"]
    assert "Add at least one photo before publishing." in client.get(refused.headers["Location"]).get_data(True)
    assert db.session.get(Listing, listing.id).status == "draft"
    client.post(
        f"/listings/{listing.id}/photos",
        data={"photos": (io.BytesIO(images.png()), "car.jpg")},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )
    published = client.post(f"/listings/{listing.id}/publish", data={"csrf_token": token, "confirm": "1"})
    assert published.headers["Location"].endswith(f"/listings/{listing.id}")
    assert "Your listing is published." in client.get(published.headers["Location"]).get_data(as_text=True)
    assert other.get(f"/listings/{listing.id}").status_code == 200
    assert f'data-listing-id="{listing.id}"' in other.get("/listings/").get_data(as_text=True)


def test_a_saved_search_hears_of_a_car_when_it_is_published_not_as_a_draft(app, client, auth, seller):
    buyer = factories.make_user("buyer")
    from app.listings.filters import Filters
    from app.listings.saved_searches import save_search

    save_search(buyer, Filters.parse({}), "Everything")
    db.session.commit()
    auth.login("seller")
    client.post("/listings/new", data=listing_form(client))
    listing = db.session.scalar(select(Listing))
    assert db.session.scalar(select(Notification).where(Notification.user_id == buyer.id)) is None
    token = page_token(client, f"/listings/{listing.id}/edit")
    client.post(
        f"/listings/{listing.id}/photos",
        data={"photos": (io.BytesIO(images.png()), "car.jpg")},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )
    client.post(f"/listings/{listing.id}/publish", data={"csrf_token": token, "confirm": "1"})
    notice = db.session.scalar(select(Notification).where(Notification.user_id == buyer.id))
    assert notice is not None and notice.kind == "saved_search"


def test_selects_start_at_choose_and_the_important_ones_are_required(client, auth, seller):
    auth.login("seller")
    html = client.get("/listings/new").get_data(as_text=True)
    for name in ("body", "fuel", "transmission", "drive", "colour", "steering", "condition"):
        select_html = html.split(f'name="{name}"')[1].split("</select>")[0]
        assert select_html.split("<option")[1].startswith(' value="">Choose…<'), name
        assert "selected" not in select_html, name
    blanks = dict.fromkeys(("body", "fuel", "transmission", "drive", "steering", "condition"), "")
    response = client.post(
        "/listings/new", data=listing_form(client, **blanks, colour="", description="Typed by hand.")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in (
        "Choose the body.",
        "Choose the fuel.",
        "Choose the transmission.",
        "Choose the drive.",
        "Choose the steering side.",
        "Choose the condition.",
    ):
        assert message in html
    assert "Choose the colour" not in html  # colour may stay unchosen
    # what was typed comes back
    assert "Typed by hand." in html and 'value="85000"' in html and 'value="12500000"' in html
    assert '<option selected value="' in html.split('name="model_id"')[1].split("</select>")[0]
    assert db.session.scalar(select(Listing)) is None


def test_the_generation_must_fit_the_year(client, auth, seller):
    catalog = factories.make_catalog()
    auth.login("seller")
    response = client.post(
        "/listings/new", data=listing_form(client, year=2019, generation_id=catalog["generation:XV50"].id)
    )
    assert response.status_code == 400
    assert "XV50 was made in 2011–2017, not in 2019" in response.get_data(as_text=True)
    ok = client.post("/listings/new", data=listing_form(client, year=2017, generation_id=catalog["generation:XV50"].id))
    assert ok.status_code == 302


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/listings/new")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("year", 1899, "The year is between 1900 and"),
        ("year", 3000, "The year is between 1900 and"),
        ("year", "nineteen", "Not a valid integer value."),
        ("mileage_km", -1, "Mileage is between 0 and 2,000,000 km."),
        ("mileage_km", 2_000_001, "Mileage is between 0 and 2,000,000 km."),
        ("price", 0, "The price must be above zero"),
        ("price", 10**15, "The price must be above zero"),
        ("price", "1e9", "Not a valid integer value."),
        ("price", "9" * 400, "This number is too large."),
        ("power_hp", 99999, "Power is between 1 and 2,000 hp."),
        ("engine_volume_l", "55", "Engine volume is between 0.1 and 10 litres."),
        ("vin", "1HGCM82633A00435", "A VIN has exactly 17 characters."),
        ("vin", "1HGCM82633A00435O", "A VIN uses digits and Latin letters except I, O and Q."),
        ("vin", "1HGCM82643A004352", "check digit"),
        ("model_id", 999999, "Choose a model of this make."),
        ("city_id", 999999, "Choose a city of this region."),
        ("description", "x" * 5001, "At most 5,000 characters."),
    ],
)
def test_absurd_values_are_refused_with_a_clear_message(client, auth, seller, field, value, message):
    auth.login("seller")
    response = client.post("/listings/new", data=listing_form(client, **{field: value}))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Listing)) is None


def test_vin_rules():
    # A North American VIN with a correct check digit (the 9th character).
    assert vin_problem("1HGCM82633A004352") is None
    assert check_digit("1M8GDM9AXKP042788") == "X"
    assert vin_problem("1M8GDM9AXKP042788") is None
    # A European VIN: the 9th character is not a check digit there, so it is not verified.
    assert vin_problem("WVWZZZ1JZ3W386752") is None
    assert vin_problem("JTDKB20U493123456") is None


def test_a_valid_vin_is_stored_normalized(client, auth, seller):
    auth.login("seller")
    client.post("/listings/new", data=listing_form(client, vin="1hgcm8-2633a004352"))
    assert db.session.scalar(select(Listing.vin)) == "1HGCM82633A004352"


def test_markup_in_title_and_description_is_inert(client, auth, seller):
    from app.models import CarModel

    catalog = factories.make_catalog()
    evil_model = CarModel(brand_id=catalog["brand:Toyota"].id, name="<b>Bold</b>", slug="bold")
    db.session.add(evil_model)
    db.session.commit()
    listing = factories.make_listing(seller, model="<b>Bold</b>", description='<script>alert("x")</script><img src=x>')
    html = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x>" not in html and "<b>Bold</b>" not in html
    assert "&lt;script&gt;alert" in html and "&lt;b&gt;Bold&lt;/b&gt;" in html
    search = client.get("/listings/").get_data(as_text=True)
    assert "<b>Bold</b>" not in search and "&lt;b&gt;Bold&lt;/b&gt;" in search


OWNER_ONLY = [
    ("get", "/listings/{id}/edit"),
    ("post", "/listings/{id}/edit"),
    ("post", "/listings/{id}/status"),
    ("post", "/listings/{id}/photos"),
    ("post", "/listings/{id}/photos/order"),
    ("post", "/listings/{id}/photos/{photo}/delete"),
]


@pytest.mark.parametrize(("method", "path"), OWNER_ONLY)
def test_others_cannot_edit_delete_or_add_photos(client, auth, seller, method, path):
    listing = factories.make_listing(seller)
    photo = ListingPhoto(listing_id=listing.id, name="x", position=0)
    db.session.add(photo)
    db.session.commit()
    factories.make_user("intruder")
    auth.login("intruder")
    token = page_token(client, "/listings/saved")
    url = path.format(id=listing.id, photo=photo.id)
    data = {"csrf_token": token, "action": "delete", "confirm": "1"}
    if method == "get":
        response = client.get(url)
    elif url.endswith("/photos"):
        response = client.post(
            url, data={"photos": (io.BytesIO(images.png()), "a.png")}, headers={"X-CSRFToken": token}
        )
    elif url.endswith("/order"):
        response = client.post(url, json={"ids": [photo.id]}, headers={"X-CSRFToken": token})
    else:
        response = client.post(url, data=data, headers={"X-CSRFToken": token})
    assert response.status_code == 403
    db.session.refresh(listing)
    assert listing.status == "active" and len(listing.photos) == 1


def test_status_moves_and_soft_delete(client, auth, seller):
    listing = factories.make_listing(seller)
    auth.login("seller")

    def act(action):
        token = page_token(client, f"/listings/{listing.id}")
        return client.post(
            f"/listings/{listing.id}/status", data={"csrf_token": token, "confirm": "1", "action": action}
        )

    act("reserve")
    assert db.session.get(Listing, listing.id).status == "reserved"
    assert "This listing is reserved." in client.get(f"/listings/{listing.id}").get_data(as_text=True)
    act("sold")
    assert db.session.get(Listing, listing.id).status == "sold"
    act("reserve")  # not allowed from sold: nothing changes
    assert db.session.get(Listing, listing.id).status == "sold"
    act("delete")
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).status == "removed"
    auth.logout()
    assert client.get(f"/listings/{listing.id}").status_code == 404


def test_price_changes_are_recorded_shown_and_tell_favouriters(client, auth, seller):
    listing = factories.make_listing(seller, price=12_500_000)
    fan = factories.make_user("fan")
    from app.listings.favorites import toggle_favourite

    toggle_favourite(fan, listing)
    db.session.commit()
    auth.login("seller")
    path = f"/listings/{listing.id}/edit"
    form = listing_form(client, path, price=11_900_000)
    client.post(path, data=form)
    assert db.session.scalar(select(PriceChange.new_price)) == 11_900_000
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert "Price history" in page and "12,500,000\u00a0₸" in page and "11,900,000\u00a0₸" in page
    note = db.session.scalar(select(Notification).where(Notification.user_id == fan.id))
    assert note.kind == "price_drop" and note.payload["url"] == f"/listings/{listing.id}"


def test_selling_tells_favouriters(client, auth, seller):
    listing = factories.make_listing(seller)
    fan = factories.make_user("fan")
    from app.listings.favorites import toggle_favourite

    toggle_favourite(fan, listing)
    db.session.commit()
    auth.login("seller")
    token = page_token(client, f"/listings/{listing.id}")
    client.post(f"/listings/{listing.id}/status", data={"csrf_token": token, "confirm": "1", "action": "sold"})
    kinds = db.session.scalars(select(Notification.kind).where(Notification.user_id == fan.id)).all()
    assert kinds == ["sold"]


# --- photos ----------------------------------------------------------------------------


def upload(client, listing_id, *files):
    token = page_token(client, f"/listings/{listing_id}/edit")
    data = {"photos": [(io.BytesIO(content), name) for content, name in files]}
    return client.post(
        f"/listings/{listing_id}/photos",
        data=data,
        headers={"X-CSRFToken": token, "Accept": "application/json"},
        content_type="multipart/form-data",
    )


def test_photos_upload_reorder_cover_and_delete(client, auth, seller):
    listing = factories.make_listing(seller)
    auth.login("seller")
    response = upload(client, listing.id, (images.jpeg_with_gps(), "a.jpg"), (images.png(), "b.png"))
    assert response.status_code == 200
    photos = response.get_json()["photos"]
    assert len(photos) == 2 and response.get_json()["errors"] == []
    db.session.expire_all()
    first, second = (p["id"] for p in photos)
    assert db.session.get(Listing, listing.id).cover == db.session.get(ListingPhoto, first).name

    token = page_token(client, f"/listings/{listing.id}/edit")
    response = client.post(
        f"/listings/{listing.id}/photos/order", json={"ids": [second, first]}, headers={"X-CSRFToken": token}
    )
    assert [p["id"] for p in response.get_json()["photos"]] == [second, first]
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).cover == db.session.get(ListingPhoto, second).name
    bad = client.post(f"/listings/{listing.id}/photos/order", json={"ids": [second]}, headers={"X-CSRFToken": token})
    assert bad.status_code == 400 and "each photo" in bad.get_json()["error"]

    response = client.post(f"/listings/{listing.id}/photos/{second}/delete", headers={"X-CSRFToken": token})
    assert [p["id"] for p in response.get_json()["photos"]] == [first]
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).photo_count == 1
    html = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert 'id="gallery"' in html and 'id="viewer"' in html


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (images.TEXT_AS_JPEG, "car.jpg", "This file is not a picture we can read."),
        (images.SVG, "car.svg", "This file is not a picture we can read."),
        (images.bomb(), "bomb.png", "The picture is too large (too many pixels)."),
        (b"", "empty.jpg", "The file is empty."),
    ],
)
def test_bad_files_are_refused_with_clear_messages(client, auth, seller, content, name, message):
    listing = factories.make_listing(seller)
    auth.login("seller")
    response = upload(client, listing.id, (content, name))
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["error"] == message
    assert db.session.scalar(select(ListingPhoto)) is None


def test_oversized_uploads_are_refused(app, client, auth, seller):
    listing = factories.make_listing(seller)
    auth.login("seller")
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = upload(client, listing.id, (b"\xff" * (limit + 1), "huge.jpg"))
    assert response.status_code == 413
    assert "larger than the site accepts" in response.get_json()["message"]


def test_at_most_twenty_photos(client, auth, seller):
    listing = factories.make_listing(seller)
    db.session.add_all(ListingPhoto(listing_id=listing.id, name=f"p{i}", position=i) for i in range(20))
    db.session.commit()
    auth.login("seller")
    response = upload(client, listing.id, (images.png(), "21.png"))
    assert response.status_code == 400
    assert "at most 20 photos" in response.get_json()["errors"][0]["error"]
    assert len(db.session.scalars(select(ListingPhoto)).all()) == 20


def test_listing_card_contract(app, seller):
    from app.listings.display import listing_card

    listing = factories.make_listing(seller, price=9_000_000)
    with app.test_request_context():
        card = listing_card(listing.id)
    assert card == {
        "id": listing.id,
        "title": "Toyota Camry 2018",
        "price_text": "9,000,000\u00a0₸",
        "year": 2018,
        "mileage_km": 85000,
        "city": "Almaty",
        "url": f"/listings/{listing.id}",
        "thumb_url": None,
        "status": "active",
    }
    listing.status = "removed"
    db.session.commit()
    with app.test_request_context():
        assert listing_card(listing.id) is None and listing_card(999999) is None


def test_moderation_target_removes_and_restores(seller):
    from app.core.moderation import targets

    listing = factories.make_listing(seller)
    target = targets()["listing"]
    assert target.load(listing.id) is listing and target.author_id(listing) == seller.id
    target.remove(listing)
    assert target.is_removed(listing) and not listing.is_public
    target.restore(listing)
    assert listing.status == "active"
