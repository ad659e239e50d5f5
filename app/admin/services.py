"""Moderation operations: plain functions; the caller commits."""

from __future__ import annotations

from sqlalchemy import select

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
