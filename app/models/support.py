"""Support tickets: a request to the site's staff from a member or a guest, and the messages
of its thread. Everything is stored before any mail goes out, so a mail that cannot be sent
loses nothing: the thread is on the site (members: /support/tickets/<id>; guests: the secret
link /support/t/<access_key> shown after sending and put in every mail)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import utcnow
from app.extensions import db
from app.models.user import User

# open: waiting for the staff; answered: waiting for the requester; closed: done (a new
# message from the requester opens it again).
TICKET_STATUSES = ("open", "answered", "closed")


class SupportTicket(db.Model):
    __tablename__ = "support_tickets"
    __table_args__ = (
        Index("ix_support_tickets_status_updated", "status", "updated_at"),
        Index("ix_support_tickets_user_updated", "user_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # None: a guest
    email: Mapped[str] = mapped_column(String(254))  # where answers are mailed
    name: Mapped[str] = mapped_column(String(80), default="")
    subject: Mapped[str] = mapped_column(String(150))
    status: Mapped[str] = mapped_column(String(16), default="open")
    locale: Mapped[str] = mapped_column(String(8), default="ru")  # a guest's mails are in it
    # The guest's secret link; unguessable (192 random bits).
    access_key: Mapped[str] = mapped_column(String(64), unique=True)
    # The contact form's one-time token: a double submit finds this ticket instead of a second.
    form_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()
    messages: Mapped[list[SupportMessage]] = relationship(
        back_populates="ticket", order_by="SupportMessage.id", cascade="all, delete-orphan"
    )


class SupportMessage(db.Model):
    __tablename__ = "support_messages"
    __table_args__ = (Index("ix_support_messages_ticket", "ticket_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("support_tickets.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # None: the guest
    from_staff: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(Text)
    form_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ticket: Mapped[SupportTicket] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()
