"""Chat: one conversation per pair of users, its messages, user blocks and the response times
computed from them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import utcnow
from app.extensions import db
from app.models.user import User


class Conversation(db.Model):
    """The one conversation between two users, stored with the lower id first."""

    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("user_low_id", "user_high_id", name="uq_conversations_pair"),
        CheckConstraint("user_low_id < user_high_id", name="ordered_pair"),
        Index("ix_conversations_user_high", "user_high_id"),
        # the response-time refresh finds the conversations active since its last run
        Index("ix_conversations_last_message_at", "last_message_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_low_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    user_high_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_message_at: Mapped[datetime | None]
    # The seq of the latest message: the next one takes last_seq + 1 under this row's lock.
    last_seq: Mapped[int] = mapped_column(default=0, server_default="0")

    user_low: Mapped[User] = relationship(foreign_keys=[user_low_id])
    user_high: Mapped[User] = relationship(foreign_keys=[user_high_id])

    @property
    def room(self) -> str:
        return f"pair_{self.user_low_id}_{self.user_high_id}"

    def has(self, user_id: int) -> bool:
        return user_id in (self.user_low_id, self.user_high_id)

    def other_id(self, user_id: int) -> int:
        return self.user_high_id if user_id == self.user_low_id else self.user_low_id


class Message(db.Model):
    """One chat message. `client_id` is chosen by the sending browser: a resend after a
    lost acknowledgement carries the same one and finds the stored message instead of
    making a second. `seq` numbers the conversation's messages 1, 2, 3... without gaps, in
    commit order (assigned under the conversation's row lock): a client syncs by it."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("sender_id", "client_id", name="uq_messages_sender_client"),
        UniqueConstraint("conversation_id", "seq", name="uq_messages_conversation_seq"),
        Index("ix_messages_conversation_id_id", "conversation_id", "id"),
        # unread counts look up only the unread rows of one conversation
        Index("ix_messages_conversation_unread", "conversation_id", "read_at"),
        Index("ix_messages_image", "image"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    seq: Mapped[int]
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text, default="")
    image: Mapped[str | None] = mapped_column(String(64))
    # A listing shown as a card; no foreign key: a removed listing leaves the message.
    listing_id: Mapped[int | None]
    client_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    removed_at: Mapped[datetime | None]  # hidden by a moderator

    conversation: Mapped[Conversation] = relationship()
    sender: Mapped[User] = relationship()


class UserBlock(db.Model):
    """`blocker` does not want messages from `blocked`."""

    __tablename__ = "user_blocks"

    blocker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    blocked_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ResponseTime(db.Model):
    """How fast a member answers a buyer's first message in the chat: the median delay over
    their recent conversations, computed from the messages by scheduled work
    (app/profile/activity.py), so a listing page reads one row by primary key."""

    __tablename__ = "response_times"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # None: the median conversation went unanswered.
    median_seconds: Mapped[int | None]
    conversations: Mapped[int] = mapped_column(default=0)  # how many the median is over
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
