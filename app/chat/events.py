"""Socket.IO handlers for chat. Every connection belongs to a signed-in user.

Contract (docs/architecture.md, "Socket.IO path"):

- connect: refused without a signed-in session; the socket joins `user_<id>`.
- `join_chat {with}` / `leave_chat {with}`: the server joins or leaves `pair_<low>_<high>`
  for the signed-in user and the named person; a client never names a room.
- `send_message {to, body, client_id, listing_id?}`: ack `{ok, message}` or `{ok: false, error}`.
- `typing {to}`, `mark_read {conversation_id, up_to_id}`, `sync {conversation_id, after_seq}`.
- Every message carries `seq`: 1, 2, 3... per conversation, gapless and in commit order. A
  page keeps the highest seq up to which it has every message; after a drop (mark taken at
  the drop) or when a live message skips a number, it syncs after that mark.
- Server to client: `new_message`, `typing`, `messages_read`, `unread_count` (`{count}`: the
  exact number, on connect and after mark_read; `{new: 1}`: one more arrived).

Flask-SocketIO freezes the session at connect, so the user's id and session version are
kept with the socket and checked against the database on every event (`authenticated_only`):
a socket of a user who signed out, changed password or was banned is refused and closed.
Handlers never write to the session. A bad payload gets an error ack; the connection stays.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import current_app, g, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, SocketIO, disconnect, emit, join_room, leave_room
from sqlalchemy.exc import SQLAlchemyError

from app.chat import services
from app.chat.presence import viewing
from app.chat.services import ChatError, Person, Sent, SignedOut
from app.chat.socket_cap import claim_socket, release_socket
from app.core.errors import database_unavailable, first_line
from app.core.realtime import channel_for, user_room
from app.extensions import db, socketio
from app.inputs import hostile_payload
from app.models import MAX_ID
from app.notifications.services import notify
from app.observability import MESSAGES_SENT

IDENTITY = "garage.chat.identity"
TYPING_EVERY = 1.0  # seconds between two typing events of one socket
EMIT_ATTEMPTS = 3
EMIT_RETRY_DELAY = 0.05  # seconds, times the attempt number


@dataclass(frozen=True)
class Identity(Person):
    version: int


def error(message: str) -> dict[str, Any]:
    return {"ok": False, "error": message}


def authenticated_only(handler=None, *, session_checked_by_handler: bool = False):
    """Run the handler only for a socket whose sign-in is still valid.

    Checks the session version and ban on every event (one small query; `send_message`
    folds the same check into its first statement: `session_checked_by_handler`). A stale
    socket gets an error ack and is disconnected. A payload that is not an object is
    refused with an error ack. The handler receives the identity and the payload dict.
    """

    def decorate(handler):
        @wraps(handler)
        def wrapped(data=None, *args):
            identity: Identity | None = request.environ.get(IDENTITY)
            if identity is None or (
                not session_checked_by_handler and not services.session_is_current(identity.id, identity.version)
            ):
                disconnect()
                return error(_("You are signed out. Sign in again."))
            if not isinstance(data, dict):
                return error(_("Bad request."))
            if hostile_payload(data):
                return error(_("The message holds characters that cannot be sent."))
            return handler(identity, data)

        return wrapped

    return decorate(handler) if handler is not None else decorate


def viewing_registry():
    return viewing(current_app.config["SOCKETIO_MESSAGE_QUEUE"], channel_for(current_app.config))


def on_connect(auth=None):
    """Refuse anonymous sockets and a user's socket past MAX_SOCKETS_PER_USER; put each
    signed-in socket into its user's room and send the current unread count."""
    g.pop("_login_user", None)  # load the user from this handshake's session, nothing cached
    if not current_user.is_authenticated:
        return False
    user = current_user
    if not claim_socket(user.id, request.sid):
        raise ConnectionRefusedError(_("Too many open connections. Close some tabs of the site."))
    try:
        emit("unread_count", {"count": services.unread_count(user.id)})
    except Exception:
        release_socket(user.id, request.sid)
        raise
    request.environ[IDENTITY] = Identity(user.id, user.username, user.name, user.session_version)
    request.environ[IDENTITY + ".rooms"] = set()
    join_room(user_room(user.id))
    return True


def on_disconnect(reason=None):
    """Forget which conversations this socket had open; free its connection slot."""
    identity: Identity | None = request.environ.get(IDENTITY)
    if identity is None:
        return
    release_socket(identity.id, request.sid)
    registry = viewing_registry()
    for room in request.environ.get(IDENTITY + ".rooms", set()):
        registry.remove(identity.id, room, request.sid)


def other_person(identity: Identity, username: Any) -> Person:
    person = services.find_person(username) if isinstance(username, str) else None
    if person is None:
        raise ChatError(_("No such user."))
    if person.id == identity.id:
        raise ChatError(_("You cannot write to yourself."))
    return person


@authenticated_only
def on_join_chat(identity: Identity, data: dict):
    """Open the conversation with `with`: join its pair room (only a pair that includes the
    signed-in user can be joined). Ack: the conversation id (None before the first message)."""
    try:
        other = other_person(identity, data.get("with"))
    except ChatError as refused:
        return error(str(refused))
    room = services.pair_room(identity.id, other.id)
    join_room(room)
    request.environ[IDENTITY + ".rooms"].add(room)
    viewing_registry().add(identity.id, room, request.sid)
    return {"ok": True, "conversation_id": services.find_conversation_id(identity.id, other.id)}


@authenticated_only
def on_leave_chat(identity: Identity, data: dict):
    """Close the conversation with `with` on this socket."""
    try:
        other = other_person(identity, data.get("with"))
    except ChatError as refused:
        return error(str(refused))
    room = services.pair_room(identity.id, other.id)
    leave_room(room)
    request.environ[IDENTITY + ".rooms"].discard(room)
    viewing_registry().remove(identity.id, room, request.sid)
    return {"ok": True}


@authenticated_only(session_checked_by_handler=True)
def on_send_message(identity: Identity, data: dict):
    """Store a message from the signed-in user to `to`, commit, then deliver it (see
    `deliver`). Refuses unknown recipients, blocked pairs, bad or too long bodies, missing
    client ids and senders over the rate limit (error ack); a socket whose sign-in is gone
    is refused and closed. Once committed the ack is ok with the stored message, whatever
    happens afterwards. A resend with a known client_id acks the stored message and emits
    it to the pair room again (the recipient's page drops what it already has, by id)."""
    try:
        sent = store(identity, data)
    except SignedOut as refused:
        disconnect()
        return error(str(refused))
    except ChatError as refused:
        return error(str(refused))
    except SQLAlchemyError as failure:  # overloaded (no pooled connection in time) or the database is down
        if database_unavailable(failure):  # expected under load or a failover: one line, no traceback
            current_app.logger.warning("send_message: database unavailable: %s", first_line(failure))
        else:
            current_app.logger.exception("send_message failed")
        return error(_("The chat is busy. Your message was not sent; try again."))
    deliver(identity, sent, skip_sid=request.sid)
    return {"ok": True, "message": sent.message}


def store(identity: Identity, data: dict) -> Sent:
    """send_message, the notification and the commit: one transaction on the event's one
    session connection (one commit per message); rolled back on any refusal or failure."""
    try:
        sent = services.send_message(
            identity,
            data.get("to"),
            data.get("body"),
            data.get("client_id"),
            data.get("listing_id"),
            session_version=identity.version,
        )
        if sent.created:
            notify_if_away(identity, sent)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return sent


def notify_if_away(sender: Person, sent: Sent) -> None:
    """Add a notification for a recipient without the conversation open, in a savepoint of
    the message's transaction: a failing notification is rolled back alone (logged) and the
    message is still stored and sent."""

    recipient, message = sent.recipient, sent.message
    if viewing_registry().is_viewing(recipient.id, services.pair_room(sender.id, recipient.id)):
        return
    payload = {
        "from": sender.username,
        "name": sender.name,
        "excerpt": (message["body"] or "")[:140],
        "picture": bool(message.get("image")),  # "Picture" in the reader's language
        "url": url_for("chat.conversation", username=sender.username),
    }
    try:
        with db.session.begin_nested():
            notify(recipient.id, "message", payload)
    except SQLAlchemyError:
        current_app.logger.exception("notification for message %s failed", message["id"])


def deliver(sender: Person, sent: Sent, skip_sid: str | None = None) -> None:
    """After the commit: the message to the pair room and "one more unread" to the
    recipient's user room (a resend: the message only, nothing counted twice). Nothing here
    may turn a stored message into an error for the sender: a failed emit is retried, then
    logged, and the recipient's page gets the message by sync (it notices the gap in seq, or
    syncs on reconnect)."""
    room = services.pair_room(sender.id, sent.recipient.id)
    if sent.created:
        MESSAGES_SENT.inc()
    emit_with_retry("new_message", sent.message, to=room, skip_sid=skip_sid)
    if sent.created:
        # One more unread message: the badge adds it. Exact counts go out on connect and
        # after mark_read; a count read here could miss a concurrent sender's message.
        emit_with_retry("unread_count", {"new": 1}, to=user_room(sent.recipient.id))


def emit_with_retry(event: str, data: dict, **where) -> bool:
    """socketio.emit, tried EMIT_ATTEMPTS times; False (logged) when it never went out."""
    for attempt in range(1, EMIT_ATTEMPTS + 1):
        try:
            socketio.emit(event, data, **where)
            return True
        except Exception:  # the queue or a socket failed: retry, then leave it to sync
            current_app.logger.warning("emit of %s failed (attempt %d)", event, attempt, exc_info=True)
            socketio.sleep(EMIT_RETRY_DELAY * attempt)
    return False


@authenticated_only
def on_typing(identity: Identity, data: dict):
    """Tell the pair room that the signed-in user is typing; at most once a second per
    socket (the browser fades the notice after a few seconds)."""
    try:
        other = other_person(identity, data.get("to"))
    except ChatError as refused:
        return error(str(refused))
    now = time.monotonic()
    if now - request.environ.get(IDENTITY + ".typing", 0.0) < TYPING_EVERY:
        return {"ok": True, "throttled": True}
    request.environ[IDENTITY + ".typing"] = now
    if services.block_between(identity.id, other.id) is not None:
        return {"ok": True}
    socketio.emit(
        "typing", {"from": identity.username}, to=services.pair_room(identity.id, other.id), skip_sid=request.sid
    )
    return {"ok": True}


def int_field(data: dict, name: str) -> int | None:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ID:
        return None
    return value


@authenticated_only
def on_mark_read(identity: Identity, data: dict):
    """Mark the other person's messages up to `up_to_id` as read (only in one's own
    conversation), then tell the pair room (✓✓ for the sender) and update one's badge."""
    conversation = services.conversation_for(identity.id, data.get("conversation_id"))
    up_to_id = int_field(data, "up_to_id")
    if conversation is None or up_to_id is None:
        return error(_("No such conversation."))
    room = conversation.room
    marked = services.mark_read(identity.id, conversation.id, up_to_id)
    db.session.commit()
    if marked:
        socketio.emit(
            "messages_read",
            {"conversation_id": conversation.id, "up_to_id": up_to_id, "reader": identity.username},
            to=room,
        )
        socketio.emit("unread_count", {"count": services.unread_count(identity.id)}, to=user_room(identity.id))
    return {"ok": True, "marked": marked}


@authenticated_only
def on_sync(identity: Identity, data: dict):
    """Messages of one's own conversation after `after_seq` (what arrived while the socket
    was down, or filling a gap the page noticed in seq), in seq order; `more` is true when
    the client should ask again from the last seq it got."""
    conversation = services.conversation_for(identity.id, data.get("conversation_id"))
    after_seq = int_field(data, "after_seq")
    if conversation is None or after_seq is None:
        return error(_("No such conversation."))
    rows = services.messages_after(conversation, after_seq)
    names = services.usernames(conversation)
    messages = [services.message_payload(row, names.get(row.sender_id)) for row in rows]
    return {"ok": True, "messages": messages, "more": len(rows) >= services.SYNC_LIMIT}


HANDLERS = {
    "connect": on_connect,
    "disconnect": on_disconnect,
    "join_chat": on_join_chat,
    "leave_chat": on_leave_chat,
    "send_message": on_send_message,
    "typing": on_typing,
    "mark_read": on_mark_read,
    "sync": on_sync,
}


def register(server: SocketIO) -> None:
    """Attach the chat's handlers to the app's Socket.IO server (`chat.init_app` calls it once
    the server exists, so every app gets them, whatever was imported first)."""
    for event, handler in HANDLERS.items():
        server.on_event(event, handler)
