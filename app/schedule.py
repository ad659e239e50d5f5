"""The periodic tasks: the one table the scheduler reads (app/core/scheduler.py).

Each line is `Periodic(name, every, run)`: `run` is a plain function of no arguments, safe
to run twice, returning a one-line summary; its feature also offers it as a `flask`
command, and its tests call it directly. Every task runs once per period (slots start at
midnight UTC for a day) however many schedulers are up. `flask jobs status` shows the last
run of each; `flask jobs run NAME` runs one now.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from app import media
from app.core.scheduler import Periodic, forget_old_runs
from app.extensions import db
from app.listings.deals import rate_deals_job
from app.listings.lifecycle import expire_job
from app.listings.services import prune_views
from app.models import ListingPhoto, Message, Page, Post, User
from app.profile.activity import refresh_response_times

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def delete_orphan_uploads() -> str:
    """Delete uploaded pictures no row names any more, once ORPHAN_UPLOAD_HOURS old: an
    avatar replaced while its files stayed, a forum picture never posted, a photo whose
    listing row failed to save."""
    older_than = timedelta(hours=current_app.config["ORPHAN_UPLOAD_HOURS"])
    counts = {kind: media.delete_orphans(kind, used, older_than) for kind, used in UPLOAD_OWNERS.items()}
    return "orphan files deleted: " + ", ".join(f"{kind} {count}" for kind, count in counts.items())


def named_in(column: InstrumentedAttribute) -> Callable[[set[str]], set[str]]:
    """Which of some picture names a column holds (the rows that own those pictures)."""

    def used(names: set[str]) -> set[str]:
        ordered, found = sorted(names), set()
        for start in range(0, len(ordered), 500):
            found |= set(db.session.scalars(select(column).where(column.in_(ordered[start : start + 500]))))
        return found

    return used


POST_PICTURE = re.compile(r"/uploads/posts/([A-Za-z0-9_-]+)_[a-z0-9]+\.jpg")


def linked_from_text(names: set[str]) -> set[str]:
    """Forum pictures are links in markdown: every post and static page that links to
    one keeps it (one pass over the texts that mention /uploads/posts/)."""
    linked = set()
    for column in (Post.body, Page.body_markdown):
        texts = select(column).where(column.like("%/uploads/posts/%")).execution_options(yield_per=1000)
        for text in db.session.scalars(texts):
            linked.update(POST_PICTURE.findall(text))
    return names & linked


# Which rows own each kind of upload (app/media.py KINDS); a kind not named here is never cleaned.
UPLOAD_OWNERS: dict[str, Callable[[set[str]], set[str]]] = {
    "avatars": named_in(User.avatar),
    "listings": named_in(ListingPhoto.name),
    "chat": named_in(Message.image),
    "posts": linked_from_text,
}

SCHEDULE: tuple[Periodic, ...] = (
    Periodic("listings.prune-views", DAY, prune_views),
    Periodic("media.orphan-uploads", DAY, delete_orphan_uploads),
    Periodic("jobs.forget-old-runs", DAY, forget_old_runs),
    Periodic("listings.lifecycle", HOUR, expire_job),  # expiry notices, expiry, ended Top dates
    Periodic("profile.response-times", HOUR, refresh_response_times),  # "usually answers within…"
    Periodic("listings.rate-deals", HOUR, rate_deals_job),  # deal ratings (a changed-rows-only run)
)
