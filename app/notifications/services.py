"""Creating and reading notifications. Any feature calls `notify`; the caller commits.

`notify` respects the recipient's settings: a kind switched off is not stored at all,
and a kind with email opted into is also mailed (a job, app/core/jobs.py). The live push
(how many arrived, to the user's Socket.IO room) and the mail happen only after the
transaction commits, so nobody hears of a notification that was rolled back.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, cast

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, func, select, update

from app.core.after_commit import after_commit
from app.core.jobs import enqueue
from app.core.realtime import user_room
from app.core.time import utcnow
from app.extensions import db, socketio
from app.models import Notification, NotificationSetting, User
from app.notifications.email import mail_notification

KINDS = (
    "message",  # new chat message while the conversation is not open
    "reply",  # reply in your topic
    "mention",  # @username in a post
    "quote",  # your post quoted
    "review",  # a review of you as a seller
    "review_reply",  # the seller answered your review
    "price_drop",  # a favourite listing got cheaper
    "sold",  # a favourite listing was sold
    "saved_search",  # new listings match a saved search
    "listing_expiring",  # your listing leaves search in a few days unless renewed
    "listing_expired",  # your listing left search: renew it to sell on
)
# Mailed unless the user switched the mail off: missing these costs the seller their buyers.
MAILED_BY_DEFAULT = ("listing_expiring",)
# Sent by the site itself; a user cannot switch them off.
SYSTEM_KINDS = (
    "warning",
    "support_ticket",  # staff: a new support request or a requester's message
    "support_answer",  # the staff answered your support request
)
KIND_LABELS = {
    "message": _l("New chat messages"),
    "reply": _l("Replies in my topics"),
    "mention": _l("Mentions of me"),
    "quote": _l("Quotes of my posts"),
    "review": _l("Reviews of me as a seller"),
    "review_reply": _l("Sellers' answers to my reviews"),
    "price_drop": _l("Price drops on my favourites"),
    "sold": _l("My favourites sold"),
    "saved_search": _l("New cars for my saved searches"),
    "listing_expiring": _l("My listings about to expire"),
    "listing_expired": _l("My listings expired"),
    "warning": _l("Moderator warnings"),
    "support_ticket": _l("Support requests"),
    "support_answer": _l("Answers from support"),
}
PER_PAGE = 20


def notify(user_id: int, kind: str, payload: dict[str, Any]) -> Notification | None:
    """Store a notification for `user_id` unless they switched `kind` off (then None).

    Its unread count is pushed after commit; an email goes out after commit when the
    user opted into email for this kind and has confirmed their address.
    """
    setting = db.session.get(NotificationSetting, (user_id, kind)) if kind in KINDS else None
    if setting is not None and not setting.enabled:
        return None
    notification = Notification(user_id=user_id, kind=kind, payload=payload)
    db.session.add(notification)
    after_commit("notifications.push", user_id, deliver=push_arrivals)
    if setting.email if setting is not None else kind in MAILED_BY_DEFAULT:
        # only to confirmed addresses: nobody can have mail sent to someone else's inbox
        query = select(User.email, User.locale).where(User.id == user_id, User.email_confirmed_at.is_not(None))
        recipient = db.session.execute(query).first()
        if recipient:  # mailed in the recipient's language, not the one of who caused it
            enqueue(mail_notification, recipient.email, kind, dict(payload), recipient.locale)
    return notification


def unread_count(user_id: int) -> int:
    query = select(func.count()).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    return db.session.scalar(query) or 0


def push_unread(user_id: int) -> None:
    """Send the exact unread count (after marking read, say) to every page of the user."""
    socketio.emit("notification", {"unread": unread_count(user_id)}, to=user_room(user_id))


def page_of(user_id: int, page: int):
    """One page of the user's notifications, newest first (a Flask-SQLAlchemy Pagination)."""
    query = (
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def mark_read(user_id: int, notification_id: int) -> Notification | None:
    """Mark one of the user's own notifications read; None when it is not theirs."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user_id:
        return None
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()
    return notification


def mark_all_read(user_id: int) -> int:
    """Mark every unread notification of the user read; returns how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return cast(CursorResult[Any], result).rowcount or 0  # an UPDATE's result is a CursorResult


def settings_for(user_id: int) -> dict[str, NotificationSetting]:
    """The user's setting for every switchable kind (defaults for kinds never touched)."""
    stored = {
        s.kind: s for s in db.session.scalars(select(NotificationSetting).where(NotificationSetting.user_id == user_id))
    }
    return {
        kind: stored.get(kind) or NotificationSetting(kind=kind, enabled=True, email=kind in MAILED_BY_DEFAULT)
        for kind in KINDS
    }


def save_settings(user_id: int, choices: dict[str, tuple[bool, bool]]) -> None:
    """Store (enabled, email) per kind; unknown kinds are ignored."""
    for kind, (enabled, email) in choices.items():
        if kind not in KINDS:
            continue
        setting = db.session.get(NotificationSetting, (user_id, kind))
        if setting is None:
            setting = NotificationSetting(user_id=user_id, kind=kind)
            db.session.add(setting)
        setting.enabled = enabled
        setting.email = email and enabled
    db.session.flush()


def push_arrivals(user_ids: list[int]) -> None:
    """After commit (no SQL here): tell each user how many arrived; the page adds them to its badge."""
    for user_id, new in Counter(user_ids).items():
        socketio.emit("notification", {"new": new}, to=user_room(user_id))


def unread_badge(user: User) -> int:
    """Unread notifications next to the bell in the navbar."""
    return unread_count(user.id)


def describe(kind: str, payload: dict[str, Any]) -> dict[str, str | None]:
    """Title, text and link of a notification, from whatever its payload carries.

    Features fill payloads differently; this picks the first of the usual keys and falls
    back to the kind's label. Only links within the site are kept. Whatever the site itself
    says (prices, "Picture", the warning's title) is written here, in the reader's language,
    not stored in the language of whoever caused the notification.
    """
    payload = payload if isinstance(payload, dict) else {}
    own_words = site_words(kind, payload)

    def first(*keys: str) -> str:
        for key in keys:
            value = payload.get(key)
            if isinstance(value, str | int | float) and str(value).strip():
                return str(value).strip()
        return ""

    title = first("title", "subject", "topic", "topic_title", "listing_title", "name") or str(
        KIND_LABELS.get(kind, kind)
    )
    text = own_words.get("text") or first("text", "excerpt", "body", "message", "reason")
    title = own_words.get("title") or title
    if text == title:
        text = ""
    url = first("url", "link")
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        url = ""
    return {
        "title": title[:200],
        "text": text[:500],
        "url": url or None,
        "actor": first("actor", "who", "from", "author"),
    }


def site_words(kind: str, payload: dict[str, Any]) -> dict[str, str]:
    """The parts of a notification the site writes itself, in the current language."""
    from app.i18n.formats import format_price

    words = {}
    prices = [payload.get(key) for key in ("old_price", "new_price")]
    if kind == "price_drop" and all(isinstance(p, int) and not isinstance(p, bool) for p in prices):
        old_currency = str(payload.get("old_currency") or payload.get("currency") or "KZT")
        new = format_price(prices[1], str(payload.get("currency") or "KZT"))
        words["text"] = f"{format_price(prices[0], old_currency)} → {new}"
    elif kind == "message" and payload.get("picture") and not payload.get("excerpt"):
        words["text"] = _("Picture")
    elif kind == "warning":
        words["title"] = _("A warning from the moderators")
    elif kind == "listing_expiring" and isinstance(payload.get("expires_at"), str):
        words["text"] = expiry_text(payload["expires_at"])
    elif kind == "listing_expired":
        words["text"] = _("It is no longer in search. Renew it to put it back on sale.")
    return words


def expiry_text(expires_at: str) -> str:
    """ "Leaves search on 4 December 2026, 15:00. Renew it to keep it on sale." in the reader's
    language and the site's time zone; nothing for a malformed date."""
    from datetime import datetime

    from app.i18n.formats import format_datetime

    try:
        when = datetime.fromisoformat(expires_at)
    except ValueError:
        return ""
    return _("Leaves search on %(when)s. Renew it to keep it on sale.", when=format_datetime(when))
