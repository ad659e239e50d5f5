"""Socket.IO handlers through Flask-SocketIO's test client: who may connect and join,
blocking, idempotent resends, read receipts, the rate limit and payload validation."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Message
from tests import factories


@pytest.fixture
def people(app):
    return factories.make_user("buyer"), factories.make_user("dealer", role="dealer")


def signed_in(app, socketio_client, username):
    """A socket of `username`, signed in through the real login form."""
    from tests.conftest import AuthActions

    client = app.test_client()
    AuthActions(client).login(username)
    sio = socketio_client(client)
    assert sio.is_connected()
    sio.get_received()  # the unread count sent at connect
    return client, sio


def events(sio, name):
    return [event["args"][0] for event in sio.get_received() if event["name"] == name]


def test_anonymous_connect_is_refused(app, socketio_client):
    sio = socketio_client(app.test_client())
    assert not sio.is_connected()


def test_connect_sends_the_unread_count(app, socketio_client, people):
    client = app.test_client()
    from tests.conftest import AuthActions

    AuthActions(client).login("buyer")
    sio = socketio_client(client)
    assert events(sio, "unread_count") == [{"count": 0}]


def test_two_people_exchange_messages(app, socketio_client, people):
    _, buyer = signed_in(app, socketio_client, "buyer")
    _, dealer = signed_in(app, socketio_client, "dealer")
    assert buyer.emit("join_chat", {"with": "dealer"}, callback=True) == {"ok": True, "conversation_id": None}
    dealer.emit("join_chat", {"with": "buyer"}, callback=True)
    ack = buyer.emit("send_message", {"to": "dealer", "body": "Hi!", "client_id": "a1"}, callback=True)
    assert ack["ok"] and ack["message"]["body"] == "Hi!" and ack["message"]["sender"] == "buyer"
    stored = db.session.get(Message, ack["message"]["id"])
    assert stored is not None and stored.body == "Hi!"  # committed before the emit
    received = events(dealer, "new_message")
    assert [m["id"] for m in received] == [ack["message"]["id"]]
    assert events(buyer, "new_message") == []  # the sender has the ack instead


def test_a_stranger_cannot_join_or_read_a_pair(app, socketio_client, people):
    factories.make_user("stranger")
    _, buyer = signed_in(app, socketio_client, "buyer")
    _, stranger = signed_in(app, socketio_client, "stranger")
    buyer.emit("join_chat", {"with": "dealer"}, callback=True)
    # naming a room in the payload does nothing: the server pairs the stranger with "dealer"
    stranger.emit("join_chat", {"with": "dealer", "room": "pair_1_2"}, callback=True)
    stranger.emit("join_chat", {"with": "buyer"}, callback=True)
    ack = buyer.emit("send_message", {"to": "dealer", "body": "secret", "client_id": "s1"}, callback=True)
    assert events(stranger, "new_message") == []
    conversation_id = ack["message"]["conversation_id"]
    assert stranger.emit("sync", {"conversation_id": conversation_id, "after_seq": 0}, callback=True)["ok"] is False
    refused = stranger.emit("mark_read", {"conversation_id": conversation_id, "up_to_id": 99}, callback=True)
    assert refused["ok"] is False
    assert db.session.get(Message, ack["message"]["id"]).read_at is None
    assert stranger.emit("join_chat", {"with": "stranger"}, callback=True)["ok"] is False
    assert stranger.emit("join_chat", {"with": "nobody"}, callback=True)["ok"] is False


def test_sending_to_someone_who_blocked_you_is_refused(app, socketio_client, people):
    from app.chat import services

    buyer_user, dealer_user = people
    services.block(buyer_user.id, dealer_user.id)
    db.session.commit()
    _, dealer = signed_in(app, socketio_client, "dealer")
    ack = dealer.emit("send_message", {"to": "buyer", "body": "Buy now", "client_id": "b1"}, callback=True)
    assert ack["ok"] is False and "does not accept messages" in ack["error"]
    assert db.session.query(Message).count() == 0
    assert dealer.is_connected()


def test_a_resend_with_the_same_client_id_is_stored_once_and_shown_again(app, socketio_client, people):
    _, buyer = signed_in(app, socketio_client, "buyer")
    _, dealer = signed_in(app, socketio_client, "dealer")
    dealer.emit("join_chat", {"with": "buyer"}, callback=True)
    payload = {"to": "dealer", "body": "once", "client_id": "same-id"}
    first = buyer.emit("send_message", payload, callback=True)
    second = buyer.emit("send_message", payload, callback=True)
    assert first["ok"] and second["ok"]
    assert first["message"]["id"] == second["message"]["id"]
    assert db.session.query(Message).count() == 1
    # emitted again (its first emit may be what failed); the page keeps one copy by id
    assert [m["id"] for m in events(dealer, "new_message")] == [first["message"]["id"]] * 2
    # client ids are per sender: the dealer may use the same one
    other = dealer.emit("send_message", {"to": "buyer", "body": "mine", "client_id": "same-id"}, callback=True)
    assert other["ok"] and other["message"]["id"] != first["message"]["id"]


def test_read_receipts_reach_the_sender(app, socketio_client, people):
    _, buyer = signed_in(app, socketio_client, "buyer")
    _, dealer = signed_in(app, socketio_client, "dealer")
    buyer.emit("join_chat", {"with": "dealer"}, callback=True)
    dealer.emit("join_chat", {"with": "buyer"}, callback=True)
    ids = [
        buyer.emit("send_message", {"to": "dealer", "body": f"m{n}", "client_id": f"r{n}"}, callback=True)["message"]
        for n in range(3)
    ]
    assert events(dealer, "unread_count") == [{"new": 1}] * 3
    conversation_id = ids[0]["conversation_id"]
    ack = dealer.emit("mark_read", {"conversation_id": conversation_id, "up_to_id": ids[1]["id"]}, callback=True)
    assert ack == {"ok": True, "marked": 2}
    receipts = events(buyer, "messages_read")
    assert receipts == [{"conversation_id": conversation_id, "up_to_id": ids[1]["id"], "reader": "dealer"}]
    assert events(dealer, "unread_count") == [{"count": 1}]
    synced = dealer.emit("sync", {"conversation_id": conversation_id, "after_seq": 0}, callback=True)
    assert [m["read"] for m in synced["messages"]] == [True, True, False]


def test_the_send_rate_limit_answers_with_an_error(app, socketio_client, people):
    _, buyer = signed_in(app, socketio_client, "buyer")
    acks = [
        buyer.emit("send_message", {"to": "dealer", "body": f"spam {n}", "client_id": f"x{n}"}, callback=True)
        for n in range(12)
    ]
    assert all(ack["ok"] for ack in acks[:10])
    assert acks[10]["ok"] is False and "too fast" in acks[10]["error"]
    assert db.session.query(Message).count() == 10
    assert buyer.is_connected()
    # a resend of a stored message is not a new send: still ok while over the limit
    resent = buyer.emit("send_message", {"to": "dealer", "body": "spam 3", "client_id": "x3"}, callback=True)
    assert resent["ok"] and resent["message"]["id"] == acks[3]["message"]["id"]


def test_a_client_id_of_another_conversation_is_not_shown_to_someone_else(app, socketio_client, people):
    factories.make_user("third")
    _, buyer = signed_in(app, socketio_client, "buyer")
    assert buyer.emit("send_message", {"to": "dealer", "body": "private", "client_id": "k1"}, callback=True)["ok"]
    ack = buyer.emit("send_message", {"to": "third", "body": "private", "client_id": "k1"}, callback=True)
    assert ack["ok"] is False and "client id" in ack["error"]


def test_each_conversation_numbers_its_messages_without_gaps(app, socketio_client, people):
    _, buyer = signed_in(app, socketio_client, "buyer")
    _, dealer = signed_in(app, socketio_client, "dealer")
    seqs = []
    for n in range(3):
        seqs.append(buyer.emit("send_message", {"to": "dealer", "body": f"b{n}", "client_id": f"s{n}"}, callback=True))
        seqs.append(dealer.emit("send_message", {"to": "buyer", "body": f"d{n}", "client_id": f"s{n}"}, callback=True))
    buyer.emit("send_message", {"to": "dealer", "body": "again", "client_id": "s0"}, callback=True)  # a resend
    assert [ack["message"]["seq"] for ack in seqs] == [1, 2, 3, 4, 5, 6]
    conversation_id = seqs[0]["message"]["conversation_id"]
    synced = dealer.emit("sync", {"conversation_id": conversation_id, "after_seq": 4}, callback=True)
    assert [(m["seq"], m["body"]) for m in synced["messages"]] == [(5, "b2"), (6, "d2")]


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "just a string",
        ["a", "list"],
        {"to": "dealer", "body": 42, "client_id": "v1"},
        {"to": "dealer", "body": "x" * 4001, "client_id": "v2"},
        {"to": "dealer", "body": "   ", "client_id": "v3"},
        {"to": "dealer", "body": "no client id"},
        {"to": "dealer", "body": "long client id", "client_id": "c" * 65},
        {"to": ["dealer"], "body": "bad recipient", "client_id": "v4"},
        {"body": "no recipient", "client_id": "v5"},
    ],
)
def test_bad_payloads_get_an_error_ack_and_the_connection_survives(app, socketio_client, people, payload):
    _, buyer = signed_in(app, socketio_client, "buyer")
    ack = buyer.emit("send_message", payload, callback=True)
    assert ack["ok"] is False and ack["error"]
    assert buyer.is_connected()
    good = buyer.emit("send_message", {"to": "dealer", "body": "fine", "client_id": "ok", "extra": 1}, callback=True)
    assert good["ok"]


def test_the_sender_is_the_signed_in_user_never_the_payload(app, socketio_client, people):
    _, buyer = signed_in(app, socketio_client, "buyer")
    ack = buyer.emit(
        "send_message", {"to": "dealer", "body": "hi", "client_id": "f1", "sender": "dealer"}, callback=True
    )
    assert ack["message"]["sender"] == "buyer"
    assert db.session.get(Message, ack["message"]["id"]).sender_id == people[0].id


def test_logout_disconnects_the_users_sockets(app, socketio_client, people):
    client, buyer = signed_in(app, socketio_client, "buyer")
    from tests.conftest import AuthActions

    AuthActions(client).logout()
    assert not buyer.is_connected()


def test_a_socket_from_before_a_password_change_is_refused(app, socketio_client, people):
    client, buyer = signed_in(app, socketio_client, "buyer")
    user = people[0]
    user.end_all_sessions()  # what a password change or sign-out elsewhere does
    db.session.commit()
    ack = buyer.emit("send_message", {"to": "dealer", "body": "hi", "client_id": "p1"}, callback=True)
    assert ack["ok"] is False
    assert not buyer.is_connected()
    assert db.session.query(Message).count() == 0


def test_typing_is_relayed_and_throttled(app, socketio_client, people):
    _, buyer = signed_in(app, socketio_client, "buyer")
    _, dealer = signed_in(app, socketio_client, "dealer")
    dealer.emit("join_chat", {"with": "buyer"}, callback=True)
    buyer.emit("join_chat", {"with": "dealer"}, callback=True)
    buyer.emit("typing", {"to": "dealer"}, callback=True)
    buyer.emit("typing", {"to": "dealer"}, callback=True)
    assert events(dealer, "typing") == [{"from": "buyer"}]


def test_listing_id_that_is_not_a_listing_is_dropped(app, socketio_client, people):
    _, buyer = signed_in(app, socketio_client, "buyer")
    ack = buyer.emit(
        "send_message", {"to": "dealer", "body": "about this car", "client_id": "l1", "listing_id": "7"}, callback=True
    )
    assert ack["ok"] and ack["message"]["listing"] is None


def test_write_to_seller_attaches_the_listing_card(app, socketio_client, people):
    buyer_user, dealer_user = people
    listing = factories.make_listing(dealer_user)
    client, buyer = signed_in(app, socketio_client, "buyer")
    page = client.get(f"/chat/dealer?listing={listing.id}").get_data(as_text=True)
    assert "This listing will be attached" in page and listing.title in page
    assert f'data-listing-id="{listing.id}"' in page
    ack = buyer.emit(
        "send_message",
        {"to": "dealer", "body": "Still for sale?", "client_id": "card-1", "listing_id": listing.id},
        callback=True,
    )
    card = ack["message"]["listing"]
    assert card["id"] == listing.id and card["title"] == listing.title and card["url"].endswith(f"/{listing.id}")
    assert db.session.get(Message, ack["message"]["id"]).listing_id == listing.id
    history = client.get("/chat/dealer").get_data(as_text=True)
    assert "chat-listing" in history and listing.title in history
    assert "This listing will be attached" not in history


def test_ids_past_the_database_range_are_refused_and_the_connection_survives(app, socketio_client, people):
    _, buyer = signed_in(app, socketio_client, "buyer")
    huge = 10**30
    ack = buyer.emit(
        "send_message", {"to": "dealer", "body": "hi", "client_id": "h1", "listing_id": huge}, callback=True
    )
    assert ack["ok"] and ack["message"]["listing"] is None
    conversation_id = ack["message"]["conversation_id"]
    for event, payload in [
        ("mark_read", {"conversation_id": huge, "up_to_id": 1}),
        ("mark_read", {"conversation_id": conversation_id, "up_to_id": huge}),
        ("sync", {"conversation_id": huge, "after_seq": 0}),
        ("sync", {"conversation_id": conversation_id, "after_seq": huge}),
    ]:
        answer = buyer.emit(event, payload, callback=True)
        assert answer["ok"] is False, (event, payload)
    assert buyer.is_connected()
    assert buyer.emit("send_message", {"to": "dealer", "body": "still here", "client_id": "h2"}, callback=True)["ok"]


def test_chat_events_leave_almost_no_garbage_for_the_cycle_collector(app, socketio_client, people):
    """A busy worker stalls while the collector walks the heap: a send must not leave
    reference cycles behind (the request context of every event used to keep a NotFound
    and its traceback, ~60 objects a message, so full collections came every few seconds)."""
    import gc

    _, buyer = signed_in(app, socketio_client, "buyer")
    _, dealer = signed_in(app, socketio_client, "dealer")
    dealer.emit("join_chat", {"with": "buyer"}, callback=True)
    buyer.emit("send_message", {"to": "dealer", "body": "warm-up", "client_id": "g0"}, callback=True)
    gc.collect()
    gc.disable()
    try:
        for n in range(1, 9):  # under the send limit
            buyer.emit("send_message", {"to": "dealer", "body": f"#{n}", "client_id": f"g{n}"}, callback=True)
        garbage_per_message = gc.collect() / 8
    finally:
        gc.enable()
    assert len(events(dealer, "new_message")) == 9
    assert garbage_per_message < 20, f"{garbage_per_message:.0f} objects of cyclic garbage a message"
