"""Chat messages as a moderation target: reported by their recipient, removed by moderators.

A message is private: only its two people and moderators can load it (anyone else gets
the same 404 as for a missing one, through the report form too).
"""

from __future__ import annotations

from flask import url_for
from flask_login import current_user

from app.core.moderation import ModerationTarget
from app.core.time import utcnow
from app.extensions import db
from app.models import Message


def load_message(message_id: int) -> Message | None:
    message = db.session.get(Message, message_id)
    if message is None or not current_user.is_authenticated:
        return None
    if current_user.is_moderator or message.conversation.has(current_user.id):
        return message
    return None


def message_url(message: Message) -> str | None:
    """The conversation, for one of its two people; moderators have no page to go to."""
    if not current_user.is_authenticated or not message.conversation.has(current_user.id):
        return None
    other_id = message.conversation.other_id(current_user.id)
    other = (
        message.conversation.user_low
        if message.conversation.user_low_id == other_id
        else message.conversation.user_high
    )
    return url_for("chat.conversation", username=other.username)


def title(message: Message) -> str:
    return f"@{message.sender.username}: {message.body[:60] or '(picture)'}"


def remove(message: Message) -> None:
    message.removed_at = utcnow()


def restore(message: Message) -> None:
    message.removed_at = None


TARGET = ModerationTarget(
    kind="message",
    load=load_message,
    title=title,
    url=message_url,
    excerpt=lambda message: message.body[:300],
    author_id=lambda message: message.sender_id,
    remove=remove,
    restore=restore,
    is_removed=lambda message: message.removed_at is not None,
)
