"""Moderation operations: plain functions; the caller commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import AuditLog, Report, User


def file_report(reporter: User, target_type: str, target_id: int, reason: str) -> Report:
    """Store a report; a second open report by the same person on the same thing merges."""
    reason = reason.strip()[:2000]
    report = db.session.scalar(
        select(Report).where(
            Report.reporter_id == reporter.id,
            Report.target_type == target_type,
            Report.target_id == target_id,
            Report.status == "open",
        )
    )
    if report is None:
        report = Report(reporter_id=reporter.id, target_type=target_type, target_id=target_id, reason=reason)
        db.session.add(report)
    elif reason and reason not in report.reason:
        report.reason = f"{report.reason}\n---\n{reason}"[:10000]
    db.session.flush()
    return report


def log_action(
    actor: User | None, action: str, target_type: str = "", target_id: int | None = None, details: str = ""
) -> AuditLog:
    """Record a moderator or admin action in the audit log."""
    entry = AuditLog(
        actor_id=actor.id if actor else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        details=details,
    )
    db.session.add(entry)
    return entry


# --- bans -------------------------------------------------------------------------------

# banned_until for a ban "for good"; `auth.routes.ban_message` words it that way.
FOREVER = datetime(9999, 12, 31)
PENDING_DISCONNECTS = "garage_disconnect_users"


def ban_user(user: User, until: datetime | None, reason: str) -> None:
    """Ban `user` until `until` (None: for good). Their pages stop at their next request
    (the user loader refuses banned users) and their sockets close once the caller commits."""
    user.banned_until = until or FOREVER
    user.ban_reason = reason.strip()[:500]
    db.session.info.setdefault(PENDING_DISCONNECTS, set()).add(user.id)
    db.session.flush()


def unban_user(user: User) -> None:
    """Lift a ban; the user can sign in again."""
    user.banned_until = None
    user.ban_reason = ""
    db.session.flush()


@event.listens_for(Session, "after_commit")
def disconnect_after_commit(session: Session) -> None:
    # Only once the ban is stored: a rolled-back ban must not throw anyone out.
    from app.chat.presence import disconnect_user

    for user_id in session.info.pop(PENDING_DISCONNECTS, set()):
        disconnect_user(user_id)


@event.listens_for(Session, "after_rollback")
def forget_disconnects(session: Session) -> None:
    session.info.pop(PENDING_DISCONNECTS, None)
