"""Creating notifications. Any feature calls `notify`; the caller commits.

The live push (the new unread count, to the user's Socket.IO room) happens only after
the transaction commits, so a browser never hears of a notification that was rolled back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app.chat.presence import user_room
from app.extensions import db, socketio
from app.models import Notification

KINDS = (
    "message",  # new chat message while the conversation is not open
    "reply",  # reply in your topic
    "mention",  # @username in a post
    "quote",  # your post quoted
    "review",  # a review of you as a seller
    "price_drop",  # a favourite listing got cheaper
    "sold",  # a favourite listing was sold
    "saved_search",  # new listings match a saved search
)
PENDING = "garage_notified_users"


def notify(user_id: int, kind: str, payload: dict[str, Any]) -> Notification:
    """Store a notification for `user_id`; its unread count is pushed after commit."""
    notification = Notification(user_id=user_id, kind=kind, payload=payload)
    db.session.add(notification)
    pending = db.session.info.setdefault(PENDING, {})
    pending[user_id] = pending.get(user_id, 0) + 1
    return notification


def unread_count(user_id: int) -> int:
    query = select(func.count()).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    return db.session.scalar(query) or 0


def push_unread(user_id: int) -> None:
    """Send the exact unread count (after marking read, say) to every page of the user."""
    socketio.emit("notification", {"unread": unread_count(user_id)}, to=user_room(user_id))


@event.listens_for(Session, "after_commit")
def push_after_commit(session: Session) -> None:
    # No SQL is allowed here: send how many arrived; the page adds them to its badge.
    for user_id, new in session.info.pop(PENDING, {}).items():
        socketio.emit("notification", {"new": new}, to=user_room(user_id))


@event.listens_for(Session, "after_rollback")
def forget_on_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)


def register_nav_counter() -> None:
    from app.main.helpers import NAV_COUNTERS

    NAV_COUNTERS["notifications"] = lambda user: unread_count(user.id)
