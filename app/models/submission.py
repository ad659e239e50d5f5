"""One-time form tokens: each creation form carries a random token, and the row made
from it is recorded here once (the primary key refuses a second use, even when two
requests arrive at the same moment)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.time import utcnow
from app.extensions import db


class FormSubmission(db.Model):
    __tablename__ = "form_submissions"
    __table_args__ = (Index("ix_form_submissions_user_created", "user_id", "created_at"),)

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # Where the first submit led (the new listing, topic, post...): a repeat goes there.
    url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
