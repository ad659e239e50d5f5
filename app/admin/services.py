"""Moderation operations: plain functions; the caller commits."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select

from app.core.after_commit import after_commit
from app.core.audit import AuditLog, log_action
from app.core.moderation import ModerationTarget, targets
from app.core.realtime import disconnect_user
from app.core.time import utcnow
from app.extensions import db
from app.markup import render_markdown
from app.models import REPORT_REASONS, DealerProfile, Page, Report, User
from app.models.user import Role
from app.notifications.services import notify


def file_report(reporter: User, target_type: str, target_id: int, reason: str, category: str = "other") -> Report:
    """Store a report with its reason (`category`, one of REPORT_REASONS) and text; a second
    open report by the same person on the same thing merges: the text is appended and the
    newer reason replaces the older one."""
    reason = (reason or "").strip()[:2000]
    category = category if category in REPORT_REASONS else "other"
    report = db.session.scalar(
        select(Report).where(
            Report.reporter_id == reporter.id,
            Report.target_type == target_type,
            Report.target_id == target_id,
            Report.status == "open",
        )
    )
    if report is None:
        report = Report(
            reporter_id=reporter.id, target_type=target_type, target_id=target_id, reason=reason, category=category
        )
        db.session.add(report)
    else:
        report.category = category
        if reason and reason not in report.reason:
            report.reason = f"{report.reason}\n---\n{reason}"[:10000] if report.reason else reason
    db.session.flush()
    return report


# --- bans -------------------------------------------------------------------------------

# banned_until for a ban "for good"; `auth.routes.ban_message` words it that way.
FOREVER = datetime(9999, 12, 31)


def ban_user(user: User, until: datetime | None, reason: str) -> None:
    """Ban `user` until `until` (None: for good). Their pages stop at their next request
    (the user loader refuses banned users) and their sockets close once the caller commits."""
    user.banned_until = until or FOREVER
    user.ban_reason = reason.strip()[:500]
    # Only once the ban is stored: a rolled-back ban must not throw anyone out.
    after_commit("admin.disconnect", user.id, deliver=disconnect_users)
    db.session.flush()


def unban_user(user: User) -> None:
    """Lift a ban; the user can sign in again."""
    user.banned_until = None
    user.ban_reason = ""
    db.session.flush()


def disconnect_users(user_ids: list[int]) -> None:
    for user_id in dict.fromkeys(user_ids):
        disconnect_user(user_id)


# --- the moderation queue ---------------------------------------------------------------


@dataclass
class QueueItem:
    """One reported thing with every report about it, shown in context."""

    target_type: str
    target_id: int
    reports: list[Report] = field(default_factory=list)
    target: ModerationTarget | None = None
    obj: Any = None

    @property
    def exists(self) -> bool:
        return self.obj is not None

    @property
    def found(self) -> ModerationTarget | None:
        """The target kind, when the object itself was found (only a known kind loads one)."""
        return self.target if self.obj is not None else None

    @property
    def title(self) -> str:
        target = self.found
        return target.title(self.obj) if target is not None else f"{self.target_type} #{self.target_id}"

    @property
    def excerpt(self) -> str:
        target = self.found
        return target.excerpt(self.obj) if target is not None else ""

    @property
    def url(self) -> str | None:
        target = self.found
        return target.url(self.obj) if target is not None else None

    @property
    def removed(self) -> bool:
        target = self.found
        return target is not None and target.is_removed(self.obj)

    @property
    def reasons(self) -> list[tuple[str, int]]:
        """(reason, how many reports give it), in REPORT_REASONS order."""
        counts = Counter(report.category for report in self.reports)
        return [(reason, counts[reason]) for reason in REPORT_REASONS if counts[reason]]

    @property
    def main_reason(self) -> str:
        """The reason most of its reports give (the earlier in REPORT_REASONS on a tie)."""
        return max(self.reasons, key=lambda pair: pair[1])[0] if self.reports else "other"

    @property
    def author(self) -> User | None:
        target = self.found
        author_id = target.author_id(self.obj) if target is not None else None
        return db.session.get(User, author_id) if author_id else None


def queue(status: str = "open", limit: int = 300, reason: str | None = None) -> list[QueueItem]:
    """Reports grouped by what they are about, the most reported first, then the oldest.

    `status` "open" is the work queue; "closed" shows recently resolved ones (to restore).
    `reason` keeps the things at least one report gives that reason for (with all their
    reports, so the moderator sees every reason given).
    """
    statuses = ["open"] if status == "open" else ["dismissed", "actioned"]
    order = Report.created_at.asc() if status == "open" else Report.resolved_at.desc()
    reports = db.session.scalars(select(Report).where(Report.status.in_(statuses)).order_by(order).limit(limit))
    items: dict[tuple[str, int], QueueItem] = {}
    for report in reports:
        key = (report.target_type, report.target_id)
        if key not in items:
            target = targets().get(report.target_type)
            items[key] = QueueItem(report.target_type, report.target_id, target=target)
            if target is not None:
                items[key].obj = target.load(report.target_id)
        items[key].reports.append(report)
    result = [item for item in items.values() if reason is None or any(r.category == reason for r in item.reports)]
    if status == "open":
        result.sort(key=lambda item: -len(item.reports))  # stable: oldest first among equals
    return result


def by_main_reason(items: list[QueueItem]) -> list[tuple[str, list[QueueItem]]]:
    """The queue in sections, one per reason (REPORT_REASONS order), each thing under the
    reason most of its reports give; empty sections left out."""
    sections: dict[str, list[QueueItem]] = {reason: [] for reason in REPORT_REASONS}
    for item in items:
        sections[item.main_reason].append(item)
    return [(reason, found) for reason, found in sections.items() if found]


def open_reasons() -> dict[str, int]:
    """Open reports per reason, for the queue's filter (reasons with none left out)."""
    rows = db.session.execute(
        select(Report.category, func.count()).where(Report.status == "open").group_by(Report.category)
    ).all()
    counts = {row[0]: row[1] for row in rows}
    return {reason: counts[reason] for reason in REPORT_REASONS if counts.get(reason)}


def open_report_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Report).where(Report.status == "open")) or 0


def reports_badge(user: User) -> int:
    """Open reports next to "Moderation" in the navbar, for moderators only."""
    return open_report_count() if user.is_moderator else 0


def load_target(target_type: str, target_id: int) -> tuple[ModerationTarget, Any] | None:
    """The registered target and its object, or None when either is unknown."""
    target = targets().get(target_type)
    if target is None:
        return None
    obj = target.load(target_id)
    return (target, obj) if obj is not None else None


def resolve_reports(moderator: User, target_type: str, target_id: int, status: str) -> int:
    """Close every open report about one thing as "dismissed" or "actioned"; returns how many."""
    reports = db.session.scalars(
        select(Report).where(Report.target_type == target_type, Report.target_id == target_id, Report.status == "open")
    ).all()
    now = utcnow()
    for report in reports:
        report.status, report.resolved_at, report.resolved_by_id = status, now, moderator.id
    db.session.flush()
    return len(reports)


def dismiss(moderator: User, target_type: str, target_id: int) -> int:
    """Nothing wrong: close the reports, leave the content as it is."""
    count = resolve_reports(moderator, target_type, target_id, "dismissed")
    log_action(moderator, "dismiss", target_type, target_id, f"{count} report(s) dismissed")
    return count


def remove_content(moderator: User, target_type: str, target_id: int, reason: str = "") -> bool:
    """Hide the content from everyone but moderators and close its reports as actioned."""
    found = load_target(target_type, target_id)
    if found is None:
        return False
    target, obj = found
    target.remove(obj)
    resolve_reports(moderator, target_type, target_id, "actioned")
    log_action(moderator, "remove", target_type, target_id, reason or target.title(obj))
    db.session.flush()
    return True


def restore_content(moderator: User, target_type: str, target_id: int) -> bool:
    """Undo a removal."""
    found = load_target(target_type, target_id)
    if found is None:
        return False
    target, obj = found
    target.restore(obj)
    log_action(moderator, "restore", target_type, target_id, target.title(obj))
    db.session.flush()
    return True


def warn(moderator: User, author: User, message: str, target_type: str = "", target_id: int | None = None) -> None:
    """Send the author a warning notification (it cannot be switched off) and log it."""
    url = None
    if target_type and target_id:
        found = load_target(target_type, target_id)
        url = found[0].url(found[1]) if found else None
        resolve_reports(moderator, target_type, target_id, "actioned")
    payload = {"text": message.strip()[:1000]}  # the title is written in the reader's language
    if url:
        payload["url"] = url
    notify(author.id, "warning", payload)
    log_action(moderator, "warn", "user", author.id, message.strip()[:1000])
    db.session.flush()


BAN_DURATIONS = {"1": 1, "7": 7, "30": 30, "365": 365, "forever": None}


def can_ban(actor: User, user: User) -> bool:
    """Moderators ban plain users and dealers; only admins ban moderators; nobody bans an
    admin or themselves."""
    if user.id == actor.id or user.is_admin:
        return False
    return actor.is_admin or not user.is_moderator


def ban(actor: User, user: User, duration: str, reason: str) -> None:
    """Ban for a number of days (see BAN_DURATIONS) or for good, and log it."""
    days = BAN_DURATIONS[duration]
    until = utcnow() + timedelta(days=days) if days else None
    ban_user(user, until, reason)
    log_action(actor, "ban", "user", user.id, f"{'for good' if days is None else f'{days} day(s)'}: {reason}")


def unban(actor: User, user: User) -> None:
    unban_user(user)
    log_action(actor, "unban", "user", user.id, "")


def banned_users() -> list[User]:
    return list(db.session.scalars(select(User).where(User.banned_until > utcnow()).order_by(User.banned_until.desc())))


# --- users, roles, dealers ----------------------------------------------------------------

ROLES = [role.value for role in Role]


def search_users(query: str, limit: int = 50) -> list[User]:
    """Users whose username, display name or email contains `query` (newest first)."""
    query = query.strip()[:100]
    statement = select(User).order_by(User.created_at.desc()).limit(limit)
    if query:
        pattern = "%" + query.replace("\\", "").replace("%", "").replace("_", "\\_").casefold() + "%"
        statement = statement.where(
            or_(
                User.username_key.like(pattern, escape="\\"),
                func.lower(User.display_name).like(pattern, escape="\\"),
                User.email.like(pattern, escape="\\"),
            )
        )
    return list(db.session.scalars(statement))


def set_role(actor: User, user: User, role: str) -> bool:
    """Change a user's role; refuses unknown roles and changing one's own. Logged."""
    if role not in ROLES or user.id == actor.id:
        return False
    if user.role == role:
        return True
    old = user.role
    user.role = role
    if role == Role.DEALER and user.dealer_profile is None:
        user.dealer_profile = DealerProfile(company_name=user.name)
    log_action(actor, "role", "user", user.id, f"{old} → {role}")
    db.session.flush()
    return True


def dealers(unverified_first: bool = True) -> list[DealerProfile]:
    statement = select(DealerProfile).join(DealerProfile.user).where(User.role == Role.DEALER)
    statement = statement.order_by(DealerProfile.verified_at.is_not(None), DealerProfile.company_name)
    return list(db.session.scalars(statement))


def set_dealer_verified(actor: User, profile: DealerProfile, verified: bool) -> None:
    """Mark a dealer's company as checked (or withdraw it). Logged."""
    profile.verified_at = utcnow() if verified else None
    log_action(actor, "verify_dealer" if verified else "unverify_dealer", "user", profile.user_id, profile.company_name)
    db.session.flush()


def audit_page(page: int, per_page: int = 50):
    query = select(AuditLog).order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


# --- static pages ---------------------------------------------------------------------------


def save_page(actor: User, page: Page, title: str, body_markdown: str) -> Page:
    """Store a static page's markdown and its rendered, sanitized HTML. Logged."""
    page.title = title.strip()[:120]
    page.body_markdown = body_markdown
    page.body_html = render_markdown(body_markdown)
    db.session.add(page)
    db.session.flush()
    log_action(actor, "edit_page", "page", page.id, f"{page.slug} ({page.locale})")
    return page
