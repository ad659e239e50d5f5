"""Reports and static pages (the audit log is app/core/audit.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import utcnow
from app.extensions import db
from app.models.user import User

# Why a report was made, as the report form offers it (labels: app/admin/forms.py).
# "sold" is offered for listings only; reports from before the list are "other".
REPORT_REASONS = ("spam", "fraud", "wrong_info", "offensive", "sold", "other")


class Report(db.Model):
    """A user's complaint about a listing, post, message, review or user: a reason from
    REPORT_REASONS (`category`) and, optionally, the reporter's own words (`reason`).

    The moderation service keeps one open report per reporter and target: a second one
    from the same person merges into the first (its text is appended, its reason replaces the earlier one).
    """

    __tablename__ = "reports"
    __table_args__ = (
        Index("ix_reports_status_created", "status", "created_at"),
        Index("ix_reports_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(16))  # listing | post | message | review | user
    target_id: Mapped[int]
    category: Mapped[str] = mapped_column(String(16), default="other", server_default="other")  # REPORT_REASONS
    reason: Mapped[str] = mapped_column(Text)  # the reporter's own words; may be empty
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | dismissed | actioned
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])


class Page(db.Model):
    """A static page (about, rules, contacts, privacy) written in markdown by admins: one row
    per slug and language, so each visitor reads the page in their language
    (`app.main.pages.page_for` falls back to the default language when one is missing)."""

    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("slug", "locale", name="uq_pages_slug_locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    title: Mapped[str] = mapped_column(String(120))
    body_markdown: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
