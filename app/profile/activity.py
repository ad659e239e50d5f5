"""A seller's activity for profiles and listing pages: "On Garage since 2024" and "Usually
answers within an hour".

The response time is the median, over a member's most recent conversations that a buyer
started, of the delay between the buyer's first message and the member's first answer. A
conversation still unanswered after a day counts as unanswered (it pulls the median up);
a younger one is left out (the seller may still answer). Nothing is shown until
`MIN_CONVERSATIONS` conversations count.

Computing it reads messages, so it is not done per page view: `refresh_response_times`
(scheduled, and `flask profile response-times`) stores one `ResponseTime` row per member
whose conversations moved since the last run; a page reads that row by primary key.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import or_, select, union
from sqlalchemy.orm import aliased

from app.core.time import utcnow
from app.extensions import db
from app.models import Conversation, Message, ResponseTime, User
from app.profile import bp

MIN_CONVERSATIONS = 3
RECENT = 30  # the median is over this many latest conversations
LOOK_BACK = timedelta(days=365)
PENDING = timedelta(days=1)  # a younger unanswered conversation is not counted yet
# How far back a refresh looks for moved conversations: more than PENDING, so a
# conversation turning from "pending" to "unanswered" is seen by an hourly run.
REFRESH_WINDOW = timedelta(days=2)
BANDS = ((3600, "hour"), (6 * 3600, "hours"), (24 * 3600, "day"))


def reply_delays(user_id: int, now: datetime) -> list[float | None]:
    """Seconds to the member's first answer for each recent conversation a buyer started
    (None: unanswered for over a day); one query using the (conversation_id, seq) index."""
    first = aliased(Message)
    answer = (
        select(Message.created_at)
        .where(Message.conversation_id == first.conversation_id, Message.sender_id == user_id)
        .order_by(Message.seq)
        .limit(1)
        .correlate(first)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(first.created_at, answer)
        .join(Conversation, Conversation.id == first.conversation_id)
        .where(
            or_(Conversation.user_low_id == user_id, Conversation.user_high_id == user_id),
            first.seq == 1,
            first.sender_id != user_id,
            first.created_at >= now - LOOK_BACK,
        )
        .order_by(first.created_at.desc())
        .limit(RECENT)
    ).all()
    delays: list[float | None] = []
    for asked, answered in rows:
        if answered is not None:
            delays.append(max((answered - asked).total_seconds(), 0.0))
        elif now - asked >= PENDING:
            delays.append(None)
    return delays


def median_delay(delays: list[float | None]) -> int | None:
    """The lower median, unanswered ones counting as slowest; None when that is unanswered."""
    ordered = sorted(delays, key=lambda delay: float("inf") if delay is None else delay)
    middle = ordered[(len(ordered) - 1) // 2]
    return None if middle is None else int(middle)


def compute_response_time(user_id: int, now: datetime | None = None) -> ResponseTime:
    """Store (insert or update) the member's response time; the caller commits."""
    now = now or utcnow()
    delays = reply_delays(user_id, now)
    row = db.session.get(ResponseTime, user_id) or ResponseTime(user_id=user_id)
    row.conversations = len(delays)
    row.median_seconds = median_delay(delays) if delays else None
    row.computed_at = now
    db.session.add(row)
    return row


def refresh_response_times(now: datetime | None = None, since: datetime | None = None) -> int:
    """Recompute every member of a conversation with a message since `since` (default: the
    last REFRESH_WINDOW; `datetime.min` for everyone) and commit; returns how many. The
    periodic task: run it hourly."""
    now = now or utcnow()
    since = now - REFRESH_WINDOW if since is None else since
    moved = Conversation.last_message_at >= since
    people = union(
        select(Conversation.user_low_id).where(moved), select(Conversation.user_high_id).where(moved)
    ).subquery()
    user_ids = list(db.session.scalars(select(people.c[0])))
    for user_id in user_ids:
        compute_response_time(user_id, now)
    db.session.commit()
    return len(user_ids)


def response_phrase(row: ResponseTime | None) -> str | None:
    """ "Usually answers within an hour" and the like; None with too few conversations."""
    if row is None or row.conversations < MIN_CONVERSATIONS:
        return None
    if row.median_seconds is None:
        return _("Rarely answers in the chat")
    band = next((name for limit, name in BANDS if row.median_seconds <= limit), "days")
    return {
        "hour": _("Usually answers within an hour"),
        "hours": _("Usually answers within a few hours"),
        "day": _("Usually answers within a day"),
        "days": _("Usually answers within a few days"),
    }[band]


def seller_activity(user: User) -> dict[str, str | None]:
    """For the templates: {"since": "On Garage since 2024", "answers": phrase or None}; one
    primary-key read."""
    return {
        "since": _("On Garage since %(year)s", year=str(user.created_at.year)),
        "answers": response_phrase(db.session.get(ResponseTime, user.id)),
    }


@bp.cli.command("response-times")
@click.option("--all", "everyone", is_flag=True, help="Recompute every member with a conversation.")
@with_appcontext
def response_times_command(everyone: bool):
    """Recompute sellers' response times (those whose conversations moved lately)."""
    count = refresh_response_times(since=datetime.min if everyone else None)
    click.echo(f"response times: {count} member(s) recomputed")
