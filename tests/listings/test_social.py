"""Favourites, saved searches and their alerts, views, reviews, dealers, home page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.listings.copies import refresh_copies
from app.models import Favorite, Listing, Notification, Review, SavedSearch
from tests import factories
from tests.conftest import form_tokens
from tests.listings.helpers import page_token


@pytest.fixture
def seller(app):
    return factories.make_user("seller")


def test_favourite_toggle_and_page(client, auth, seller):
    listing = factories.make_listing(seller)
    factories.make_user("buyer")
    auth.login("buyer")
    token = page_token(client, f"/listings/{listing.id}")
    response = client.post(
        f"/listings/{listing.id}/favorite",
        data={"csrf_token": token, "confirm": "1"},
        headers={"Accept": "application/json"},
    )
    assert response.get_json() == {"saved": True}
    assert "Toyota Camry 2018" in client.get("/favorites").get_data(as_text=True)
    assert db.session.get(Listing, listing.id).favorites_count == 1
    client.post(f"/listings/{listing.id}/favorite", data={"csrf_token": token, "confirm": "1"})
    assert db.session.scalar(select(Favorite)) is None
    assert "Nothing saved yet" in client.get("/favorites").get_data(as_text=True)


def test_favourites_need_sign_in(client, seller):
    listing = factories.make_listing(seller)
    assert client.get("/favorites").status_code == 302
    assert client.post(f"/listings/{listing.id}/favorite").status_code in (302, 400)


def test_the_owner_sees_views_and_favourites_and_is_not_counted(client, auth, seller):
    listing = factories.make_listing(seller)
    auth.login("seller")
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert "0 views" in page and "saved by 0 people" in page
    auth.logout()
    for _ in range(3):
        client.get(f"/listings/{listing.id}", headers={"User-Agent": "guest-a"})
    client.get(f"/listings/{listing.id}", headers={"User-Agent": "guest-b"})
    factories.make_user("buyer")
    auth.login("buyer")
    client.get(f"/listings/{listing.id}")
    client.get(f"/listings/{listing.id}")
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).views == 3  # guest a, guest b, buyer: once each today
    auth.logout()
    auth.login("seller")
    assert "3 views" in client.get(f"/listings/{listing.id}").get_data(as_text=True)


def test_saved_search_alerts_on_a_matching_new_listing(client, auth, seller):
    factories.make_user("buyer")
    catalog = factories.make_catalog()
    toyota, camry = catalog["brand:Toyota"].id, catalog["carmodel:Camry"].id
    auth.login("buyer")
    query = f"brand={toyota}&model={camry}&price_to=15000000"
    client.post("/listings/saved", data={**form_tokens(client, "/listings/"), "name": "", "query": query})
    saved = db.session.scalar(select(SavedSearch))
    assert saved.name.startswith("Toyota Camry") and saved.brand_id == toyota
    assert "Toyota Camry" in client.get("/listings/saved").get_data(as_text=True)

    factories.make_listing(seller, model="Camry", price=20_000_000)  # too expensive
    factories.make_listing(seller, model="Vesta", price=5_000_000)  # another make
    listing = factories.make_listing(seller, model="Camry", price=11_000_000)
    notes = db.session.scalars(select(Notification).where(Notification.kind == "saved_search")).all()
    assert len(notes) == 1 and notes[0].payload["url"] == f"/listings/{listing.id}"

    token = page_token(client, "/listings/saved")
    client.post(f"/listings/saved/{saved.id}/delete", data={"csrf_token": token, "confirm": "1"})
    assert db.session.scalar(select(SavedSearch)) is None


def test_others_cannot_delete_a_saved_search(client, auth):
    owner = factories.make_user("owner")
    saved = SavedSearch(user_id=owner.id, name="x", query="")
    db.session.add(saved)
    db.session.commit()
    factories.make_user("other")
    auth.login("other")
    token = page_token(client, "/listings/saved")
    response = client.post(f"/listings/saved/{saved.id}/delete", data={"csrf_token": token, "confirm": "1"})
    assert response.status_code == 404
    assert db.session.scalar(select(SavedSearch)) is not None


def test_rating_shows_on_cards_and_the_listing_page(client, seller):
    listing = factories.make_listing(seller)
    buyer = factories.make_user("buyer")
    db.session.add(Review(author_id=buyer.id, seller_id=seller.id, rating=4, text="ok"))
    db.session.commit()
    assert "★ 4.0 (1)" in client.get("/listings/").get_data(as_text=True)
    assert "★ 4.0 · 1 review" in client.get(f"/listings/{listing.id}").get_data(as_text=True)


def test_dealers_directory_and_inventory_with_filters(client):
    from app.core.time import utcnow

    dealer = factories.make_user("autohouse", role="dealer")
    dealer.dealer_profile.company_name = "AutoHouse Almaty"
    dealer.dealer_profile.verified_at = utcnow()
    db.session.commit()
    factories.make_listing(dealer, model="Camry")
    factories.make_listing(dealer, model="RAV4", body="suv")
    factories.make_listing(factories.make_user("private"), model="RAV4", body="suv")
    page = client.get("/dealers").get_data(as_text=True)
    assert "AutoHouse Almaty" in page and "Verified" in page and "2 cars on sale" in page
    inventory = client.get("/dealers/autohouse?body=suv").get_data(as_text=True)
    assert "Verified dealer" in inventory and inventory.count("data-listing-id=") == 1
    assert client.get("/dealers/private").status_code == 404


def test_home_page_shows_latest_cars_and_popular_makes(client, seller):
    factories.make_listing(seller)
    page = client.get("/").get_data(as_text=True)
    assert "Latest cars" in page and "Toyota Camry 2018" in page
    assert "Popular makes" in page and 'id="home-q"' in page


def test_write_to_seller_links_to_the_chat_about_this_car(client, seller):
    listing = factories.make_listing(seller)
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert f"/chat/seller?listing={listing.id}" in page


def test_bulk_generator_writes_listings(runner, seller):
    factories.make_catalog()
    result = runner.invoke(args=["listings", "generate", "300", "--sellers", "3"])
    assert result.exit_code == 0, result.output
    assert "wrote 300 listings" in result.output
    assert db.session.scalar(select(db.func.count()).select_from(Listing)) == 300
    # The same title and search text a listing saved through the site gets.
    for listing in db.session.scalars(select(Listing).limit(40)):
        generated = (listing.title, listing.search_text, listing.price_kzt, listing.region_id)
        refresh_copies(listing)
        assert (listing.title, listing.search_text, listing.price_kzt, listing.region_id) == generated


def test_demo_listings_are_loaded_once_with_photos(runner):
    from app.catalog.loader import load_catalog
    from app.cli import seed_users
    from app.listings.demo import load_demo_listings

    load_catalog()
    seed_users("demo-password-1")
    db.session.commit()
    summary = load_demo_listings()
    db.session.commit()
    assert summary and "added with photos" in summary
    listings = db.session.scalars(select(Listing)).all()
    assert len(listings) >= 12 and all(listing.photo_count >= 2 and listing.cover for listing in listings)
    assert any(listing.is_dealer for listing in listings)
    assert load_demo_listings() is None  # a second run changes nothing
    assert len(db.session.scalars(select(Listing)).all()) == len(listings)
