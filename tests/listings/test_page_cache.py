"""Visitors who are not signed in share search pages for CACHE_SEARCH_SECONDS
(app/core/page_cache.py) until anything on them changes (app/listings/freshness.py);
nobody is ever shown what belongs to someone else."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import text

from app.core import cache
from app.core.time import utcnow
from app.extensions import db
from app.models import Review
from tests import factories


@pytest.fixture
def shared_pages(app):
    app.config["CACHE_SEARCH_SECONDS"] = 60
    cache.clear()
    yield app.config
    app.config["CACHE_SEARCH_SECONDS"] = 0
    cache.clear()


@pytest.fixture
def camry(app):
    return factories.make_listing(factories.make_user("seller"), price=12_500_000)


def page(client, path: str = "/listings/", **headers) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def behind_the_caches_back(listing, price: int) -> None:
    """A write no code of the site makes (raw SQL): only a shared page explains not seeing it."""
    db.session.execute(
        text("UPDATE listings SET price = :p, price_kzt = :p WHERE id = :i"), {"p": price, "i": listing.id}
    )
    db.session.commit()


def test_visitors_share_a_page_and_members_always_see_it_fresh(app, client, auth, camry, shared_pages):
    assert "12,500,000\u00a0₸" in page(app.test_client())
    behind_the_caches_back(camry, 11_900_000)
    assert "12,500,000\u00a0₸" in page(app.test_client())  # another visitor: the shared page
    factories.make_user("buyer")
    auth.login("buyer")
    assert "11,900,000\u00a0₸" in page(client)


def test_anything_a_search_page_shows_changing_retires_it_at_once(app, camry, shared_pages):
    from app.admin.services import ban_user

    visitor = app.test_client()
    assert "12,500,000\u00a0₸" in page(visitor) and "★" not in page(visitor)
    camry.price = 11_900_000  # the seller's edit, through the ORM as the site writes it
    db.session.commit()
    assert "11,900,000\u00a0₸" in page(visitor)
    db.session.add(Review(author_id=factories.make_user("buyer").id, seller_id=camry.seller_id, rating=4, text="ok"))
    db.session.commit()
    assert "★ 4.0 (1)" in page(visitor)
    assert free_raise_is_seen(visitor, camry)
    ban_user(camry.seller, None, reason="fraud")
    db.session.commit()
    assert f'data-listing-id="{camry.id}"' not in page(visitor)


def free_raise_is_seen(visitor, listing) -> bool:
    """A raise is one UPDATE past the ORM: the card's "N days ago" must still move."""
    from app.listings.promotions import free_raise

    listing.bumped_at = listing.created_at = utcnow() - timedelta(days=3)
    db.session.commit()
    assert "3 days ago" in page(visitor)
    assert free_raise(listing)
    db.session.commit()
    return "3 days ago" not in page(visitor)


def test_an_unchanged_page_is_rendered_again_after_its_period(app, camry, shared_pages):
    shared_pages["CACHE_SEARCH_SECONDS"] = 1
    visitor = app.test_client()
    assert "12,500,000\u00a0₸" in page(visitor)
    behind_the_caches_back(camry, 10_000_000)
    time.sleep(1.2)
    assert "10,000,000\u00a0₸" in page(visitor)


def test_a_visitors_own_messages_and_comparison_are_never_shared(app, camry, shared_pages):
    first, second = app.test_client(), app.test_client()
    with first.session_transaction() as session:
        session["_flashes"] = [("info", "A message for the first visitor")]
    assert "A message for the first visitor" in page(first)
    assert "A message for the first visitor" not in page(second)
    first.set_cookie("compare", str(camry.id))
    assert 'id="nav-compare"' in page(first)
    assert 'id="nav-compare"' not in page(second)


def test_each_language_gets_its_own_page_and_the_switch_still_sets_the_cookie(app, camry, shared_pages):
    visitor = app.test_client()
    assert "Cars for sale" in page(visitor, Accept_Language="en")
    assert "Продажа авто" in page(app.test_client(), Accept_Language="ru")
    response = visitor.get("/listings/?lang=kk")
    assert "lang=kk" in response.headers.get("Set-Cookie", "")
    assert "Cars for sale" not in response.get_data(as_text=True)
    assert "Cars for sale" not in page(visitor)  # the cookie, not the shared English page


def test_a_visitor_whose_session_changes_gets_a_page_of_their_own(app, client, camry, shared_pages):
    """After the sign-in page the visitor's session holds a form token's secret and Flask-Login
    rewrites it on every request: such a visitor gets a page rendered for them (never one
    holding another visitor's token), and it is not shared with anyone."""
    client.get("/auth/login")
    assert 'name="csrf_token"' not in page(client)
    camry.price = 11_900_000
    db.session.commit()
    assert "11,900,000\u00a0₸" in page(client)
    assert "11,900,000\u00a0₸" in page(app.test_client())  # the first visitor's page was not kept
