"""Support tickets: plain functions; the caller commits.

The ticket and every message are stored in the request's transaction; notifications are
stored with them, and mails go out only after the commit (`after_commit`), through the
site's one mail function (`app.notifications.email.send_email`). A mail that cannot be
sent is logged and loses nothing: the thread is on the site for both sides.

Who hears what:
- a new ticket or a requester's message: every moderator and admin gets the notification
  "support_ticket", and a mail goes to the team inbox `SUPPORT_EMAIL` or, when that is not
  set, to each of them with a confirmed address;
- a staff answer: a member gets the notification "support_answer" (it cannot be switched
  off) and a mail to their confirmed address; a guest gets a mail at the address they gave,
  with their ticket's secret link.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from app.core.after_commit import after_commit
from app.core.time import utcnow
from app.extensions import db
from app.i18n.locale import current_language, recipient_language
from app.models import SupportMessage, SupportTicket, User
from app.models.user import Role
from app.notifications.email import send_email, site_url_for
from app.notifications.services import notify

PER_PAGE = 30


def ticket_url_for_requester(ticket: SupportTicket, external: bool = False) -> str:
    """Members read their tickets signed in; guests through the secret link."""
    build = site_url_for if external else url_for
    if ticket.user_id is not None:
        return build("support.ticket", ticket_id=ticket.id)
    return build("support.guest_ticket", key=ticket.access_key)


# --- creating ---------------------------------------------------------------------------------


def already_sent(model, token: str | None):
    """The row a one-time form token already made, or None."""
    return db.session.scalar(select(model).where(model.form_token == token)) if token else None


def claimed(model, token: str | None, make: Callable[[], Any]):
    """`make()` the row for `token` in a savepoint; a twin request that stored the same
    token first wins and its row is returned instead (the caller redirects to it)."""
    if (earlier := already_sent(model, token)) is not None:
        return earlier, False
    try:
        with db.session.begin_nested():
            row = make()
    except IntegrityError:
        return already_sent(model, token), False
    return row, True


def open_ticket(
    user: User | None, subject: str, body: str, email: str = "", name: str = "", form_token: str | None = None
) -> tuple[SupportTicket, bool]:
    """Store a new ticket with its first message (True), or find the one this form token
    already made (False). A member's answers go to their account's address."""

    def make() -> SupportTicket:
        ticket = SupportTicket(
            user_id=user.id if user else None,
            email=user.email if user else email,
            name=user.name if user else name,
            subject=subject[:150],
            status="open",
            locale=(user.locale if user and user.locale else current_language()),
            access_key=secrets.token_urlsafe(24),
            form_token=form_token or None,
        )
        ticket.messages.append(SupportMessage(author_id=user.id if user else None, body=body))
        db.session.add(ticket)
        return ticket

    ticket, created = claimed(SupportTicket, form_token, make)
    if created:
        tell_staff(ticket, body)
    return ticket, created


def add_message(ticket: SupportTicket, user: User | None, body: str, form_token: str | None = None) -> bool:
    """The requester writes again: the ticket is open again and the staff hear of it.
    False: this form token already added its message."""

    def make() -> SupportMessage:
        message = SupportMessage(
            ticket_id=ticket.id, author_id=user.id if user else None, body=body, form_token=form_token or None
        )
        db.session.add(message)
        return message

    _message, created = claimed(SupportMessage, form_token, make)
    if created:
        ticket.status, ticket.updated_at = "open", utcnow()
        tell_staff(ticket, body)
    return created


def answer(ticket: SupportTicket, staff: User, body: str, close: bool = False, form_token: str | None = None) -> bool:
    """A staff answer: stored, the ticket "answered" (or "closed"), the requester told and
    mailed after the commit. False: this form token already answered."""

    def make() -> SupportMessage:
        message = SupportMessage(
            ticket_id=ticket.id, author_id=staff.id, from_staff=True, body=body, form_token=form_token or None
        )
        db.session.add(message)
        return message

    _message, created = claimed(SupportMessage, form_token, make)
    if created:
        ticket.status, ticket.updated_at = ("closed" if close else "answered"), utcnow()
        tell_requester(ticket, body)
    return created


def set_status(ticket: SupportTicket, status: str) -> None:
    """Close or reopen (staff: both; the requester: close)."""
    ticket.status, ticket.updated_at = status, utcnow()


# --- who hears of it ---------------------------------------------------------------------------


def staff_members() -> list[User]:
    """Moderators and admins who can sign in (not banned)."""
    not_banned = or_(User.banned_until.is_(None), User.banned_until <= utcnow())
    query = select(User).where(User.role.in_([Role.MODERATOR, Role.ADMIN]), not_banned)
    return list(db.session.scalars(query))


def tell_staff(ticket: SupportTicket, body: str) -> None:
    """Notify every moderator and admin; mail the team inbox when SUPPORT_EMAIL is set."""
    db.session.flush()  # the ticket's id, for the links
    payload = {
        "actor": ticket.name or ticket.email,
        "title": ticket.subject,
        "text": body[:200],
        "url": url_for("support_admin.ticket", ticket_id=ticket.id),
    }
    staff = staff_members()
    for user in staff:
        notify(user.id, "support_ticket", payload)
    inbox = current_app.config.get("SUPPORT_EMAIL")
    recipients = [(inbox, None)] if inbox else [(u.email, u.locale) for u in staff if u.email_confirmed_at]
    for to, language in recipients:
        with recipient_language(language):
            subject = _("Garage support: %(subject)s", subject=ticket.subject)
            sender = _("From: %(name)s <%(email)s>", name=ticket.name, email=ticket.email)
            link = site_url_for("support_admin.ticket", ticket_id=ticket.id)
            mail_after_commit(to, subject, f"{sender}\n\n{body}\n\n{link}")


def tell_requester(ticket: SupportTicket, body: str) -> None:
    """A member: a notification and a mail to a confirmed address; a guest: a mail."""
    user = ticket.user
    if user is not None:
        notify(
            user.id,
            "support_answer",
            {"title": ticket.subject, "text": body[:200], "url": ticket_url_for_requester(ticket)},
        )
        if user.email_confirmed_at is None:
            return
    with recipient_language(user.locale if user else ticket.locale):
        subject = _("Garage support: an answer to «%(subject)s»", subject=ticket.subject)
        link = ticket_url_for_requester(ticket, external=True)
        footer = _("Read the whole conversation and answer here:")
        mail_after_commit(user.email if user else ticket.email, subject, f"{body}\n\n{footer}\n{link}")


def mail_after_commit(to: str, subject: str, body: str) -> None:
    after_commit("support.mail", (to, subject, body), deliver=send_mails)


def send_mails(mails: list[tuple[str, str, str]]) -> None:
    """After the commit: each mail through the site's mail function; a failure is logged,
    the ticket is stored already."""
    for to, subject, body in mails:
        try:
            send_email(to, subject, body)
        except Exception:  # nothing may undo the stored ticket or break the page
            current_app.logger.exception("could not send the support mail to %s", to)


# --- reading -------------------------------------------------------------------------------------


def tickets_of(user: User) -> list[SupportTicket]:
    query = select(SupportTicket).where(SupportTicket.user_id == user.id).order_by(SupportTicket.updated_at.desc())
    return list(db.session.scalars(query.limit(200)))


def staff_page(status: str | None, page: int):
    """Tickets for the staff, the longest waiting first among open ones, else newest first."""
    query = select(SupportTicket)
    if status:
        query = query.where(SupportTicket.status == status)
    order = SupportTicket.updated_at.asc() if status == "open" else SupportTicket.updated_at.desc()
    return db.paginate(query.order_by(order, SupportTicket.id), page=page, per_page=PER_PAGE, error_out=False)


def status_counts() -> dict[str, int]:
    rows = db.session.execute(select(SupportTicket.status, func.count()).group_by(SupportTicket.status)).all()
    return {row[0]: row[1] for row in rows}


def open_badge(user: User) -> int:
    """Open tickets next to "Support requests" in staff's navbar."""
    if not user.is_moderator:
        return 0
    query = select(func.count()).select_from(SupportTicket).where(SupportTicket.status == "open")
    return db.session.scalar(query) or 0
