"""Notification centre: list, counts, mark read, privacy, settings, email opt-in, live push."""

import re

import pytest
from sqlalchemy import select

from app.core.time import utcnow
from app.extensions import db as _db
from app.models import Notification
from app.notifications import email as mail
from app.notifications.services import KINDS, notify, unread_count
from tests.conftest import csrf_token
from tests.factories import make_user


def post(client, path: str, data: dict | None = None, token_from: str = "/notifications/"):
    return client.post(path, data={"csrf_token": csrf_token(client, token_from), **(data or {})})


def badge(html: str) -> str:
    """The count shown on the bell (its spoken name says "2 unread notifications")."""
    return re.search(r'id="notification-badge".*?class="live-count-number"[^>]*>([^<]*)<', html, re.S).group(1)


@pytest.fixture
def buyer(auth):
    user = make_user("buyer")
    auth.login("buyer")
    return user


def test_the_list_shows_newest_first_and_the_navbar_counts_unread(client, db, buyer):
    notify(buyer.id, "reply", {"title": "Winter tyres for a Camry", "text": "Try Nokian", "actor": "daniyar"})
    notify(buyer.id, "price_drop", {"title": "Toyota Camry 2018", "url": "/listings/1", "text": "Now 9 500 000 ₸"})
    _db.session.commit()
    html = client.get("/notifications/").get_data(as_text=True)
    assert html.index("Toyota Camry 2018") < html.index("Winter tyres for a Camry")
    assert "daniyar replied in your topic" in html and "Now 9 500 000 ₸" in html
    assert badge(html) == "2"


def test_every_kind_renders_even_with_a_thin_payload(client, db, buyer):
    for kind in (*KINDS, "warning", "something_new"):
        notify(buyer.id, kind, {})
    notify(buyer.id, "message", {"title": 42, "url": "https://evil.example/phish"})
    _db.session.commit()
    response = client.get("/notifications/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Price drops on my favourites" in html and "evil.example" not in html


def test_payloads_as_the_features_send_them(client, db, buyer):
    notify(buyer.id, "reply", {"who": "daniyar", "topic": "Camry or Sonata?", "url": "/forum/p/1"})
    notify(
        buyer.id,
        "message",
        {"from": "aigerim", "name": "Aigerim", "excerpt": "Is it still for sale?", "url": "/chat/aigerim"},
    )
    notify(buyer.id, "review", {"title": "Marat", "text": "★★★★★ Honest seller", "rating": 5, "url": "/u/buyer"})
    _db.session.commit()
    html = client.get("/notifications/").get_data(as_text=True)
    assert "daniyar replied in your topic" in html and "Camry or Sonata?" in html
    assert "New message from aigerim" in html and "Is it still for sale?" in html
    assert "★★★★★ Honest seller" in html


def test_paged_20_at_a_time(client, db, buyer):
    for i in range(25):
        notify(buyer.id, "reply", {"title": f"Topic number {i:02d}"})
    _db.session.commit()
    first = client.get("/notifications/").get_data(as_text=True)
    second = client.get("/notifications/?page=2").get_data(as_text=True)
    assert "Topic number 24" in first and "Topic number 04" not in first
    assert "Topic number 04" in second and "Topic number 00" in second
    assert client.get("/notifications/?page=99").status_code == 200


def test_mark_one_read_then_all(client, db, buyer):
    first = notify(buyer.id, "reply", {"title": "One"})
    notify(buyer.id, "reply", {"title": "Two"})
    notify(buyer.id, "mention", {"title": "Three"})
    _db.session.commit()
    assert post(client, f"/notifications/{first.id}/read").status_code == 302
    assert unread_count(buyer.id) == 2
    assert badge(client.get("/notifications/").get_data(as_text=True)) == "2"
    post(client, "/notifications/read-all")
    assert unread_count(buyer.id) == 0
    assert "d-none" in re.search(r'id="notification-badge"[^>]*>', client.get("/").get_data(as_text=True)).group(0)


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, db, buyer):
    n = notify(buyer.id, "sold", {"title": "Lexus RX sold", "url": "/forum/"})
    _db.session.commit()
    response = post(client, f"/notifications/{n.id}/read", {"open": "1"})
    assert response.headers["Location"] == "/forum/"
    assert unread_count(buyer.id) == 0


def test_nobody_sees_or_marks_another_users_notifications(client, db, buyer):
    other = make_user("seller")
    theirs = notify(other.id, "review", {"title": "Private: 1 star from a buyer"})
    _db.session.commit()
    assert "Private: 1 star" not in client.get("/notifications/").get_data(as_text=True)
    assert post(client, f"/notifications/{theirs.id}/read").status_code == 404
    post(client, "/notifications/read-all")
    assert _db.session.get(Notification, theirs.id).read_at is None
    assert unread_count(other.id) == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    assert client.get("/notifications/").status_code == 302
    assert client.get("/notifications/settings").status_code == 302


def test_mark_read_needs_the_csrf_token(client, db, buyer):
    n = notify(buyer.id, "reply", {"title": "One"})
    _db.session.commit()
    assert client.post(f"/notifications/{n.id}/read").status_code == 400
    assert unread_count(buyer.id) == 1


def checked(html: str, field: str) -> bool:
    return "checked" in re.search(rf'<input[^>]*id="{field}"[^>]*>', html).group(0)


def settings_data(**overrides) -> dict:
    data = {f"{kind}_enabled": "y" for kind in KINDS}
    data.update(overrides)
    return {k: v for k, v in data.items() if v}


def test_a_kind_switched_off_is_not_stored(client, db, buyer):
    response = post(client, "/notifications/settings", settings_data(mention_enabled=None), "/notifications/settings")
    assert response.status_code == 302
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert not checked(page, "mention_enabled") and checked(page, "reply_enabled")
    assert notify(buyer.id, "mention", {"title": "@buyer look"}) is None
    notify(buyer.id, "reply", {"title": "A reply"})
    _db.session.commit()
    assert [n.kind for n in _db.session.scalars(select(Notification))] == ["reply"]


def test_email_goes_only_for_opted_in_kinds_after_commit(client, db, buyer):
    buyer.email_confirmed_at = utcnow()
    _db.session.commit()
    post(client, "/notifications/settings", settings_data(price_drop_email="y"), "/notifications/settings")
    mail.outbox.clear()
    notify(buyer.id, "price_drop", {"title": "BMW X5 is cheaper", "url": "/listings/7", "text": "Now $30,000"})
    notify(buyer.id, "reply", {"title": "No mail for this"})
    assert mail.outbox == []  # nothing before the commit
    _db.session.commit()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message["To"] == "buyer@example.com" and "BMW X5 is cheaper" in message["Subject"]
    assert "/listings/7" in message.get_content() and "Now $30,000" in message.get_content()


def test_no_email_to_an_unconfirmed_address(client, db, buyer):
    post(client, "/notifications/settings", settings_data(price_drop_email="y"), "/notifications/settings")
    assert "Emails are sent only once your address is confirmed" in client.get("/notifications/settings").get_data(
        as_text=True
    )
    mail.outbox.clear()
    notify(buyer.id, "price_drop", {"title": "BMW X5 is cheaper"})
    _db.session.commit()
    assert mail.outbox == [] and unread_count(buyer.id) == 1


def test_a_rolled_back_notification_sends_nothing(client, db, buyer):
    buyer.email_confirmed_at = utcnow()
    _db.session.commit()
    post(client, "/notifications/settings", settings_data(price_drop_email="y"), "/notifications/settings")
    mail.outbox.clear()
    notify(buyer.id, "price_drop", {"title": "Never happened"})
    _db.session.rollback()
    _db.session.commit()
    assert mail.outbox == [] and unread_count(buyer.id) == 0


def test_the_badge_is_pushed_live(client, db, buyer, socketio_client):
    socket = socketio_client()
    assert socket.is_connected()
    notify(buyer.id, "reply", {"title": "Live"})
    notify(buyer.id, "mention", {"title": "Live too"})
    _db.session.commit()
    received = [e for e in socket.get_received() if e["name"] == "notification"]
    assert received[-1]["args"][0] == {"new": 2}
    post(client, "/notifications/read-all")
    received = [e for e in socket.get_received() if e["name"] == "notification"]
    assert received[-1]["args"][0] == {"unread": 0}
