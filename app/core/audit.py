"""The audit log: every moderator and admin action, from any feature (the admin pages, the
forum's moderation), recorded the same way and listed at /admin/audit."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import utcnow
from app.extensions import Model, db

if TYPE_CHECKING:  # the mapper finds User by name; the core never imports app.models
    from app.models.user import User


class AuditLog(Model):
    """Every moderator and admin action: who did what to which target, and when."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str] = mapped_column(String(16), default="")
    target_id: Mapped[int | None]
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship()


def log_action(actor, action: str, target_type: str = "", target_id: int | None = None, details: str = "") -> AuditLog:
    """Record a moderator or admin action (`actor` None: the system) in the audit log."""
    entry = AuditLog(
        actor_id=actor.id if actor else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        details=details,
    )
    db.session.add(entry)
    return entry
