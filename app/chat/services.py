"""Chat operations: plain functions; the caller (route or event handler) commits.

The send path (`send_message`, `unread_count`) runs for every message: it works with ids
and a few plain SQL statements on the session's one connection (one look-up for the
sender's session version, the recipient, blocks, the conversation and a resent client_id;
one statement that numbers the message under the conversation's row lock and inserts it),
not with ORM objects. Everything an event does goes through that one connection: nothing
checks out a second one while the first is held (a burst would deadlock the pool).
docs/performance.md has the profile that led there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from flask import current_app, url_for
from flask_babel import gettext as _
from limits import parse
from sqlalchemy import (
    Boolean,
    Connection,
    CursorResult,
    DateTime,
    Integer,
    String,
    and_,
    bindparam,
    case,
    column,
    exists,
    func,
    or_,
    select,
    text,
    update,
)

from app.auth.validators import username_key
from app.core.time import utcnow
from app.extensions import db, limiter
from app.listings import display
from app.models import MAX_ID, Conversation, Message, User, UserBlock

MAX_BODY = 4000
MAX_CLIENT_ID = 64
HISTORY_PAGE = 30
SYNC_LIMIT = 500
DEFAULT_SEND_LIMIT = "10 per 10 seconds"


class ChatError(Exception):
    """A refused chat operation; str(error) is shown to the user."""


@dataclass(frozen=True)
class Person:
    """What the chat needs to know about a user: no ORM object on the hot path."""

    id: int
    username: str
    name: str


def pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def pair_room(a: int, b: int) -> str:
    low, high = pair(a, b)
    return f"pair_{low}_{high}"


def find_person(username: str) -> Person | None:
    """A user by username (any case), or None."""
    if not isinstance(username, str) or not 0 < len(username) <= 30:
        return None
    row = db.session.execute(
        select(User.id, User.username, User.display_name).where(User.username_key == username_key(username))
    ).first()
    return Person(row.id, row.username, row.display_name or row.username) if row else None


def session_is_current(user_id: int, session_version: int) -> bool:
    """The socket's sign-in still holds: same session version, not banned."""
    row = db.session.execute(select(User.session_version, User.banned_until).where(User.id == user_id)).first()
    if row is None or row.session_version != session_version:
        return False
    return row.banned_until is None or row.banned_until <= utcnow()


# --- blocks ---------------------------------------------------------------------------


def block_between(a: int, b: int) -> int | None:
    """The id of whoever blocked the other (a first), or None."""
    rows = db.session.scalars(
        select(UserBlock.blocker_id).where(
            or_(
                and_(UserBlock.blocker_id == a, UserBlock.blocked_id == b),
                and_(UserBlock.blocker_id == b, UserBlock.blocked_id == a),
            )
        )
    ).all()
    if a in rows:
        return a
    return rows[0] if rows else None


def block(blocker_id: int, blocked_id: int) -> None:
    """Block a user: they can no longer write to the blocker, and the conversation leaves
    the blocker's list (its unread messages are marked read so the badge forgets them)."""
    if blocker_id == blocked_id:
        raise ChatError(_("You cannot block yourself."))
    if db.session.get(UserBlock, (blocker_id, blocked_id)) is None:
        db.session.add(UserBlock(blocker_id=blocker_id, blocked_id=blocked_id))
    conversation_id = find_conversation_id(blocker_id, blocked_id)
    if conversation_id:
        mark_read(blocker_id, conversation_id, None)
    db.session.flush()


def unblock(blocker_id: int, blocked_id: int) -> None:
    block_row = db.session.get(UserBlock, (blocker_id, blocked_id))
    if block_row is not None:
        db.session.delete(block_row)
        db.session.flush()


# --- conversations and messages --------------------------------------------------------


def find_conversation_id(a: int, b: int, connection: Connection | None = None) -> int | None:
    low, high = pair(a, b)
    query = select(Conversation.id).where(Conversation.user_low_id == low, Conversation.user_high_id == high)
    return (connection or db.session).scalar(query)


def conversation_for(user_id: int, conversation_id: Any) -> Conversation | None:
    """The conversation if `user_id` is one of its two people, else None."""
    if not isinstance(conversation_id, int) or isinstance(conversation_id, bool) or not 0 < conversation_id <= MAX_ID:
        return None
    conversation = db.session.get(Conversation, conversation_id)
    if conversation is None or not conversation.has(user_id):
        return None
    return conversation


def rate_limited(sender_id: int) -> bool:
    """True when the sender is over the per-user send limit (shared storage in production)."""
    if not limiter.enabled:
        return False
    item = parse(current_app.config.get("CHAT_SEND_RATE_LIMIT", DEFAULT_SEND_LIMIT))
    return not limiter.limiter.hit(item, "chat-send", str(sender_id))


def clean_body(body: Any) -> str:
    if body is None:
        return ""
    if not isinstance(body, str):
        raise ChatError(_("The message must be text."))
    body = body.strip()
    if len(body) > MAX_BODY:
        raise ChatError(_("A message can be at most %(max)d characters long.", max=MAX_BODY))
    return body


def clean_client_id(client_id: Any) -> str:
    if not isinstance(client_id, str) or not 0 < len(client_id) <= MAX_CLIENT_ID:
        raise ChatError(_("The message has no valid client id."))
    return client_id


class SignedOut(ChatError):
    """The socket's sign-in no longer holds (signed out, new password, banned)."""


@dataclass
class Sent:
    """The outcome of `send_message`: the stored message as browsers get it, whether it is
    new (False: a resend of a known client_id), and the recipient."""

    message: dict[str, Any]
    created: bool
    recipient: Person


# The send path in a few plain statements (see the module docstring): one look-up (the
# sender's session version, the recipient, blocks, the conversation and a message already
# stored under this client_id), then the numbered INSERT.
SEND_LOOKUP = text(
    """
    SELECT me.session_version AS version, me.banned_until AS banned_until,
           r.id AS rid, r.username AS rname, r.display_name AS rdisplay, r.banned_until AS rbanned_until,
           EXISTS (SELECT 1 FROM user_blocks b WHERE b.blocker_id = :me AND b.blocked_id = r.id) AS i_blocked,
           EXISTS (SELECT 1 FROM user_blocks b WHERE b.blocker_id = r.id AND b.blocked_id = :me) AS blocked_me,
           (SELECT c.id FROM conversations c
             WHERE (c.user_low_id = :me AND c.user_high_id = r.id)
                OR (c.user_low_id = r.id AND c.user_high_id = :me)) AS conversation_id,
           (SELECT m.id FROM messages m WHERE m.sender_id = :me AND m.client_id = :client_id) AS stored_id
      FROM users me LEFT JOIN users r ON r.username_key = :key
     WHERE me.id = :me
    """
).columns(
    column("version", Integer),
    column("banned_until", DateTime),
    column("rid", Integer),
    column("rname", String),
    column("rdisplay", String),
    column("rbanned_until", DateTime),
    column("i_blocked", Boolean),
    column("blocked_me", Boolean),
    column("conversation_id", Integer),
    column("stored_id", Integer),
)
# The conversation's next seq: the UPDATE takes the conversation's row lock (what SELECT ...
# FOR UPDATE would take) and holds it until the commit, so a second sender in the same
# conversation waits and gets the next number: gapless, in commit order. SQLite has one
# writer at a time, which serialises the same way.
NEXT_SEQ = text(
    "UPDATE conversations SET last_seq = last_seq + 1, last_message_at = :created_at WHERE id = :conversation_id"
    " RETURNING last_seq"
).bindparams(bindparam("created_at", type_=DateTime))
# ON CONFLICT ... DO NOTHING RETURNING (PostgreSQL and SQLite >= 3.35): a racing resend of
# the same client_id returns no row instead of aborting the transaction.
INSERT_MESSAGE = text(
    """
    INSERT INTO messages (conversation_id, seq, sender_id, body, image, listing_id, client_id, created_at)
    VALUES (:conversation_id, :seq, :sender_id, :body, :image, :listing_id, :client_id, :created_at)
    ON CONFLICT (sender_id, client_id) DO NOTHING
    RETURNING id
    """
).bindparams(bindparam("created_at", type_=DateTime))
# PostgreSQL: the numbering and the INSERT in one round trip.
INSERT_NUMBERED_MESSAGE = text(
    """
    WITH c AS (
        UPDATE conversations SET last_seq = last_seq + 1, last_message_at = :created_at
         WHERE id = :conversation_id
        RETURNING last_seq
    )
    INSERT INTO messages (conversation_id, seq, sender_id, body, image, listing_id, client_id, created_at)
    SELECT :conversation_id, c.last_seq, :sender_id, :body, CAST(:image AS VARCHAR), CAST(:listing_id AS INTEGER),
           :client_id, :created_at FROM c
    ON CONFLICT (sender_id, client_id) DO NOTHING
    RETURNING id, seq
    """
).bindparams(bindparam("created_at", type_=DateTime))
INSERT_CONVERSATION = text(
    """
    INSERT INTO conversations (user_low_id, user_high_id, created_at) VALUES (:low, :high, :now)
    ON CONFLICT (user_low_id, user_high_id) DO NOTHING
    RETURNING id
    """
).bindparams(bindparam("now", type_=DateTime))
STORED_MESSAGE = text(
    "SELECT id, conversation_id, seq, body, image, listing_id, client_id, created_at, read_at, removed_at"
    " FROM messages WHERE sender_id = :sender_id AND client_id = :client_id"
).columns(
    column("id", Integer),
    column("conversation_id", Integer),
    column("seq", Integer),
    column("body", String),
    column("image", String),
    column("listing_id", Integer),
    column("client_id", String),
    column("created_at", DateTime),
    column("read_at", DateTime),
    column("removed_at", DateTime),
)


def send_message(
    sender: Person,
    to: str,
    body: Any,
    client_id: Any,
    listing_id: Any = None,
    image: str | None = None,
    *,
    session_version: int | None = None,
    rate_limit: bool = True,
) -> Sent:
    """Store a message from `sender` to the user named `to` on the session's connection (the
    one connection of the event or request); the caller commits, then delivers.

    Refuses (ChatError) an unknown recipient, oneself, an empty or too long body, a missing
    client id, a blocked pair, a banned recipient and a sender over the rate limit
    (`rate_limit=False`: seeding and test data); raises SignedOut when `session_version` (a socket's) is no longer the
    user's or the user is banned. A resend with a `client_id` the sender already used is
    looked up first and returns the stored message (created=False), never counted against
    the rate limit and never stored twice.
    """
    connection = db.session.connection()
    body, client_id = clean_body(body), clean_client_id(client_id)
    found = look_up_send(connection, sender, to, client_id, session_version)
    recipient = Person(found.rid, found.rname, found.rdisplay or found.rname)
    if found.stored_id is not None:
        return stored_resend(connection, sender, recipient, client_id, found.conversation_id)
    check_may_write(sender, recipient, found, body, image)
    if rate_limit and rate_limited(sender.id):
        raise ChatError(_("You are sending messages too fast. Wait a few seconds."))
    listing_id, card = attached_listing(listing_id)
    conversation_id = found.conversation_id or create_conversation(connection, sender.id, recipient.id, utcnow())
    values = {
        "conversation_id": conversation_id,
        "sender_id": sender.id,
        "body": body,
        "image": image,
        "listing_id": listing_id,
        "client_id": client_id,
        "created_at": utcnow(),
    }
    stored = insert_numbered(connection, values)
    if stored is None:  # a twin with the same client_id committed first: undo our seq
        db.session.rollback()
        return stored_resend(db.session.connection(), sender, recipient, client_id, conversation_id)
    return Sent(new_payload(sender, values, stored, card), True, recipient)


def look_up_send(connection: Connection, sender: Person, to: Any, client_id: str, session_version: int | None):
    """The send look-up row; SignedOut for a stale socket, ChatError for an unknown `to`."""
    if not isinstance(to, str) or not 0 < len(to) <= 30:
        raise ChatError(_("No such user."))
    found = connection.execute(SEND_LOOKUP, {"me": sender.id, "key": username_key(to), "client_id": client_id}).first()
    if found is None or (session_version is not None and found.version != session_version):
        raise SignedOut(_("You are signed out. Sign in again."))
    if found.banned_until is not None and found.banned_until > utcnow():
        raise SignedOut(_("You are signed out. Sign in again."))
    if found.rid is None:
        raise ChatError(_("No such user."))
    if found.rid == sender.id:
        raise ChatError(_("You cannot write to yourself."))
    return found


def check_may_write(sender: Person, recipient: Person, found, body: str, image: str | None) -> None:
    """Refuse an empty message, a pair where either person blocked the other and a
    suspended recipient."""
    if not body and not image:
        raise ChatError(_("The message is empty."))
    if found.i_blocked:
        raise ChatError(_("You have blocked %(name)s. Unblock them to write.", name=recipient.name))
    if found.blocked_me:
        raise ChatError(_("%(name)s does not accept messages from you.", name=recipient.name))
    if found.rbanned_until is not None and found.rbanned_until > utcnow():
        raise ChatError(suspended_message(recipient.name))


def stored_resend(
    connection: Connection, sender: Person, recipient: Person, client_id: str, conversation_id: int | None
) -> Sent:
    """The message already stored under the sender's `client_id` (a resend). A client id of
    another conversation is refused: its message must not be shown to this recipient."""
    stored = connection.execute(STORED_MESSAGE, {"sender_id": sender.id, "client_id": client_id}).one()
    if stored.conversation_id != conversation_id:
        raise ChatError(_("The message has no valid client id."))
    return Sent(row_payload(stored, sender.username), False, recipient)


def attached_listing(listing_id: Any) -> tuple[int | None, dict[str, Any] | None]:
    """The listing id to store and its card; an unknown or hidden listing is dropped (the
    message goes without a card)."""
    if not isinstance(listing_id, int) or isinstance(listing_id, bool) or not 0 < listing_id <= MAX_ID:
        return None, None
    card = listing_card(listing_id)
    if card is None:
        return None, None
    return listing_id, card


def insert_numbered(connection: Connection, values: dict[str, Any]) -> tuple[int, int] | None:
    """Number and insert the message under the conversation's row lock; (id, seq), or None
    when the sender's client_id is already taken."""
    if connection.dialect.name == "postgresql":
        row = connection.execute(INSERT_NUMBERED_MESSAGE, values).first()
        return (row.id, row.seq) if row else None
    seq = connection.scalar(NEXT_SEQ, values)
    message_id = connection.scalar(INSERT_MESSAGE, {**values, "seq": seq})
    return (message_id, seq) if message_id is not None else None


def new_payload(sender: Person, values: dict[str, Any], stored: tuple[int, int], card) -> dict[str, Any]:
    """What browsers get for the message just inserted (no second read of the row)."""
    message_id, seq = stored
    return {
        "id": message_id,
        "seq": seq,
        "conversation_id": values["conversation_id"],
        "sender": sender.username,
        "body": values["body"],
        "image": image_urls(values["image"]),
        "listing": card,
        "client_id": values["client_id"],
        "created_at": values["created_at"].isoformat() + "Z",
        "read": False,
        "removed": False,
    }


def suspended_message(name: str) -> str:
    """Why nobody can write to a banned member (the chat page and the send path say the same)."""
    return _("%(name)s cannot receive messages: the account is suspended.", name=name)


def create_conversation(connection: Connection, a: int, b: int, now: datetime) -> int:
    """The pair's conversation, created on its first message (a racing twin is found)."""
    low, high = pair(a, b)
    created = connection.scalar(INSERT_CONVERSATION, {"low": low, "high": high, "now": now})
    return created or find_conversation_id(a, b, connection)  # type: ignore[return-value]


def row_payload(row, sender_username: str) -> dict[str, Any]:
    removed = row.removed_at is not None
    return {
        "id": row.id,
        "seq": row.seq,
        "conversation_id": row.conversation_id,
        "sender": sender_username,
        "body": "" if removed else row.body,
        "image": None if removed else image_urls(row.image),
        "listing": None if removed or not row.listing_id else listing_card(row.listing_id),
        "client_id": row.client_id,
        "created_at": row.created_at.isoformat() + "Z",
        "read": row.read_at is not None,
        "removed": removed,
    }


def image_urls(name: str | None) -> dict[str, str] | None:
    if not name:
        return None
    return {
        "thumb": url_for("chat.image", name=name, variant="thumb"),
        "full": url_for("chat.image", name=name, variant="full"),
    }


def message_payload(message: Message, sender_username: str | None = None) -> dict[str, Any]:
    """What browsers get for a stored message (acks, sync, history)."""
    return row_payload(message, sender_username or message.sender.username)


def usernames(conversation: Conversation) -> dict[int, str]:
    rows = db.session.execute(
        select(User.id, User.username).where(User.id.in_([conversation.user_low_id, conversation.user_high_id]))
    )
    return {row.id: row.username for row in rows}


def history(conversation: Conversation, before_seq: int | None = None, limit: int = HISTORY_PAGE) -> list[Message]:
    """Up to `limit` messages before `before_seq` (or the latest), oldest first."""
    query = select(Message).where(Message.conversation_id == conversation.id)
    if before_seq:
        query = query.where(Message.seq < before_seq)
    rows = db.session.scalars(query.order_by(Message.seq.desc()).limit(limit)).all()
    return list(reversed(rows))


def messages_after(conversation: Conversation, after_seq: int, limit: int = SYNC_LIMIT) -> list[Message]:
    """What was stored after `after_seq` (sync after a reconnect or a gap), in seq order.
    seq is gapless and in commit order, so "after the highest contiguous seq I have" skips
    nothing, whatever order the live events arrived in."""
    query = (
        select(Message)
        .where(Message.conversation_id == conversation.id, Message.seq > after_seq)
        .order_by(Message.seq)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def mark_read(reader_id: int, conversation_id: int, up_to_id: int | None) -> int:
    """Mark the other person's messages up to `up_to_id` (all when None) as read; return how many."""
    query = update(Message).where(
        Message.conversation_id == conversation_id,
        Message.sender_id != reader_id,
        Message.read_at.is_(None),
    )
    if up_to_id is not None:
        query = query.where(Message.id <= up_to_id)
    result = cast(CursorResult[Any], db.session.execute(query.values(read_at=utcnow())))  # an UPDATE's result
    return result.rowcount or 0


def unread_in(conversation_column, user_id: int):
    """Unread messages to `user_id` in one conversation: an index lookup on
    (conversation_id, read_at) per conversation, never a scan of all unread messages."""
    return (
        select(func.count())
        .where(
            Message.conversation_id == conversation_column,
            Message.read_at.is_(None),
            Message.sender_id != user_id,
        )
        .correlate_except(Message)
        .scalar_subquery()
    )


# The same per-conversation form as a plain statement for the send path (docs/architecture.md: one
# join made PostgreSQL scan every unread message once most history was read).
UNREAD_COUNT = text(
    """
    SELECT coalesce(sum((SELECT count(*) FROM messages m
                          WHERE m.conversation_id = c.id AND m.read_at IS NULL AND m.sender_id != :u)), 0)
      FROM conversations c
     WHERE c.user_low_id = :u OR c.user_high_id = :u
    """
)


def unread_count(user_id: int, connection: Connection | None = None) -> int:
    """Unread messages to `user_id` over all conversations (the navbar badge)."""
    return int((connection or db.session).scalar(UNREAD_COUNT, {"u": user_id}) or 0)


@dataclass
class ConversationRow:
    conversation: Conversation
    other: User
    last: Message | None
    unread: int


def conversation_list(user_id: int, page: int = 1, per_page: int = 30) -> tuple[list[ConversationRow], bool]:
    """The user's conversations, most recent first, without the ones whose other person they
    blocked; and whether there is a next page."""
    other_id = case((Conversation.user_low_id == user_id, Conversation.user_high_id), else_=Conversation.user_low_id)
    last_id = (
        select(func.max(Message.id))
        .where(Message.conversation_id == Conversation.id)
        .correlate_except(Message)
        .scalar_subquery()
    )
    blocked = exists().where(UserBlock.blocker_id == user_id, UserBlock.blocked_id == User.id)
    query = (
        select(Conversation, User, last_id.label("last_id"), unread_in(Conversation.id, user_id).label("unread"))
        .join(User, User.id == other_id)
        .where(
            or_(Conversation.user_low_id == user_id, Conversation.user_high_id == user_id),
            Conversation.last_message_at.is_not(None),
            ~blocked,
        )
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    )
    rows = db.session.execute(query).all()
    last_ids = [row.last_id for row in rows[:per_page] if row.last_id]
    last = {m.id: m for m in db.session.scalars(select(Message).where(Message.id.in_(last_ids)))} if last_ids else {}
    items = [ConversationRow(row[0], row[1], last.get(row.last_id), row.unread or 0) for row in rows[:per_page]]
    return items, len(rows) > per_page


def image_visible_to(user_id: int, name: str) -> bool:
    """A chat picture is visible only to the two people of the conversation it was sent in."""
    return bool(
        db.session.scalar(
            select(func.count())
            .select_from(Message)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(
                Message.image == name,
                Message.removed_at.is_(None),
                or_(Conversation.user_low_id == user_id, Conversation.user_high_id == user_id),
            )
        )
    )


def reportable_message(reporter_id: int, message_id: int) -> Message | None:
    """A message the reporter received (one cannot report one's own or others' messages)."""
    message = db.session.get(Message, message_id)
    if message is None or message.sender_id == reporter_id or not message.conversation.has(reporter_id):
        return None
    return message


# --- listing cards ---------------------------------------------------------------------


def listing_card(listing_id: int | None) -> dict[str, Any] | None:
    """The listing's card from the marketplace (None without an id, or when it is missing or hidden)."""
    return display.listing_card(listing_id) if listing_id else None


def since(value: datetime | None) -> str:
    return value.isoformat() + "Z" if value else ""
