"""Conversation pages: the list, a conversation, older history, blocking, pictures."""

from __future__ import annotations

import io
import re

from app.chat import services
from app.chat.services import Person
from app.extensions import db
from app.models import Message, Notification, Report
from tests import factories
from tests.conftest import csrf_token, form_tokens
from tests.images import png


def person(user) -> Person:
    return Person(user.id, user.username, user.name)


def say(sender, recipient, body: str, client_id: str | None = None) -> dict:
    sent = services.send_message(person(sender), recipient.username, body, client_id or f"c-{body}", rate_limit=False)
    db.session.commit()
    return sent.message


def test_chat_pages_need_sign_in(client):
    factories.make_user("dealer", role="dealer")
    assert client.get("/chat/").status_code == 302
    assert client.get("/chat/dealer").status_code == 302


def test_conversation_list_shows_last_message_unread_count_most_recent_first(client, auth):
    buyer = factories.make_user("buyer")
    dealer = factories.make_user("dealer", role="dealer", display_name="Best Dealer")
    other = factories.make_user("other", display_name="Other Person")
    say(dealer, buyer, "Hello from the dealer")
    say(dealer, buyer, "Are you coming?")
    say(other, buyer, "Older conversation")
    # make the dealer's conversation the most recent
    say(buyer, dealer, "On my way")
    say(dealer, buyer, "See you")
    auth.login("buyer")
    html = client.get("/chat/").get_data(as_text=True)
    assert html.index("Best Dealer") < html.index("Other Person")
    assert "See you" in html and "Older conversation" in html
    assert "On my way" not in html  # only the last message is shown


def test_unread_counts_in_list_and_navbar(client, auth):
    buyer = factories.make_user("buyer")
    dealer = factories.make_user("dealer", role="dealer")
    for n in range(3):
        say(dealer, buyer, f"message {n}")
    auth.login("buyer")
    html = client.get("/").get_data(as_text=True)
    assert 'id="unread-badge"' in html
    badge = html.split('id="unread-badge"', 1)[1]
    assert re.search(r'class="live-count-number"[^>]*>3<', badge)
    assert re.search(r'class="visually-hidden live-count-label">3 unread messages<', badge)  # its spoken name
    assert services.unread_count(buyer.id) == 3
    assert services.unread_count(dealer.id) == 0


def test_conversation_page_shows_history_and_composer(client, auth):
    buyer = factories.make_user("buyer")
    dealer = factories.make_user("dealer", role="dealer")
    say(buyer, dealer, "Is the Camry still for sale?")
    say(dealer, buyer, "Yes, come and see it")
    auth.login("buyer")
    response = client.get("/chat/dealer")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Is the Camry still for sale?" in html and "Yes, come and see it" in html
    assert 'id="chat-input"' in html
    assert client.get("/chat/nobody").status_code == 404
    assert client.get("/chat/buyer").status_code == 302  # oneself: back to the list


def test_older_messages_load_page_by_page(client, auth):
    buyer = factories.make_user("buyer")
    dealer = factories.make_user("dealer", role="dealer")
    factories_messages = [say(dealer, buyer, f"line {n:03d}") for n in range(45)]
    auth.login("buyer")
    html = client.get("/chat/dealer").get_data(as_text=True)
    assert "line 044" in html and "line 014" not in html
    first_shown = factories_messages[15]["seq"]
    data = client.get(f"/chat/dealer/messages?before={first_shown}").get_json()
    assert [m["body"] for m in data["messages"]] == [f"line {n:03d}" for n in range(15)]
    assert data["more"] is False


def test_a_stranger_cannot_read_the_history(client, auth):
    buyer = factories.make_user("buyer")
    dealer = factories.make_user("dealer", role="dealer")
    factories.make_user("stranger")
    say(buyer, dealer, "private words")
    auth.login("stranger")
    assert "private words" not in client.get("/chat/dealer").get_data(as_text=True)
    assert client.get("/chat/dealer/messages?before=999").get_json()["messages"] == []


def test_block_hides_the_conversation_and_stops_messages(client, auth):
    buyer = factories.make_user("buyer")
    dealer = factories.make_user("dealer", role="dealer", display_name="Pushy Dealer")
    say(dealer, buyer, "Buy now!!!")
    auth.login("buyer")
    response = client.post(
        "/chat/dealer/block", data={"csrf_token": csrf_token(client, "/chat/dealer")}, follow_redirects=True
    )
    assert "Pushy Dealer is blocked" in response.get_data(as_text=True)
    assert "Pushy Dealer" not in client.get("/chat/").get_data(as_text=True)
    assert services.unread_count(buyer.id) == 0
    try:
        say(dealer, buyer, "hello again")
        raise AssertionError("a blocked user could write")
    except services.ChatError as refused:
        assert "does not accept messages" in str(refused)
    client.post("/chat/dealer/unblock", data={"csrf_token": csrf_token(client, "/chat/dealer")})
    say(dealer, buyer, "hello again")
    assert "Pushy Dealer" in client.get("/chat/").get_data(as_text=True)


def test_pictures_go_through_media_and_only_the_pair_sees_them(app, client, auth):
    buyer = factories.make_user("buyer")
    factories.make_user("dealer", role="dealer")
    factories.make_user("stranger")
    auth.login("buyer")
    token = csrf_token(client, "/chat/dealer")
    response = client.post(
        "/chat/dealer/images",
        data={"image": (io.BytesIO(png()), "car.jpg"), "client_id": "img-1"},
        headers={"X-CSRFToken": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    message = response.get_json()["message"]
    thumb = message["image"]["thumb"]
    assert client.get(thumb).status_code == 200
    assert client.get(thumb).mimetype == "image/jpeg"
    stored = db.session.get(Message, message["id"])
    assert stored.sender_id == buyer.id and stored.image
    # not under the public uploads
    assert client.get(f"/uploads/chat/{stored.image}_thumb.jpg").status_code == 404
    bad = client.post(
        "/chat/dealer/images",
        data={"image": (io.BytesIO(b"not a picture"), "x.jpg"), "client_id": "img-2"},
        headers={"X-CSRFToken": token},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400 and bad.get_json()["error"]
    auth.logout()
    auth.login("stranger")
    assert client.get(thumb).status_code == 404
    auth.logout()
    auth.login("dealer")
    assert client.get(thumb).status_code == 200
    app.config["USE_X_ACCEL"] = True
    try:
        response = client.get(message["image"]["full"])
        assert response.headers["X-Accel-Redirect"] == f"/protected-uploads/chat/{stored.image}_full.jpg"
        assert response.data == b""
    finally:
        app.config["USE_X_ACCEL"] = False


def test_recipient_can_report_a_message(client, auth):
    buyer = factories.make_user("buyer")
    dealer = factories.make_user("dealer", role="dealer")
    factories.make_user("stranger")
    message = say(dealer, buyer, "send me your card number")
    auth.login("stranger")
    assert client.get(f"/report/message/{message['id']}").status_code == 404
    auth.logout()
    auth.login("buyer")
    page = client.get("/chat/dealer").get_data(as_text=True)
    assert f"/report/message/{message['id']}" in page
    tokens = form_tokens(client, f"/report/message/{message['id']}")
    client.post(f"/report/message/{message['id']}", data={"category": "fraud", "reason": "scam", **tokens})
    report = db.session.query(Report).one()
    assert (report.target_type, report.target_id, report.reporter_id) == ("message", message["id"], buyer.id)


def test_a_message_to_someone_not_in_the_conversation_is_a_notification(client):
    buyer = factories.make_user("buyer")
    dealer = factories.make_user("dealer", role="dealer")
    from app.chat.events import deliver, notify_if_away

    with client.application.test_request_context():
        sent = services.send_message(person(dealer), "buyer", "ping", "n-1")
        notify_if_away(person(dealer), sent)
        db.session.commit()
        deliver(person(dealer), sent)
    notification = db.session.query(Notification).one()
    assert notification.user_id == buyer.id and notification.kind == "message"
    assert notification.payload["url"] == "/chat/dealer"


def test_demo_conversation_is_seeded_once():
    from app.chat.demo import load_demo_chat

    aigerim = factories.make_user("aigerim")
    factories.make_user("autohouse", role="dealer")
    assert "demo conversation" in load_demo_chat()
    db.session.commit()
    assert load_demo_chat() is None
    assert db.session.query(Message).count() == 3
    assert services.unread_count(aigerim.id) == 1
