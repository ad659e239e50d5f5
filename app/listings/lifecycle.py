"""A listing's lifetime: it stays on sale LISTING_LIFETIME_DAYS after publication or its last
renewal; LISTING_EXPIRY_NOTICE_DAYS before that its owner is told (with a Renew button);
then it becomes "expired": out of search, its page says it is no longer on sale, and its
owner can renew it.

This is scheduled work (`flask listings expire`, and the job scheduler's table), never done
on a page view. Each step claims a listing with a conditional UPDATE before telling anyone,
so running it twice, or twice at once, notifies and expires each listing once. `now` is a
parameter so tests move the clock. The caller commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, select, update

from app.core.time import utcnow
from app.extensions import db
from app.listings.display import listing_url
from app.listings.freshness import search_changed
from app.listings.services import start_lifetime
from app.models import Listing
from app.models.listing import SEARCHABLE_STATUSES
from app.notifications.services import notify

BATCH = 500


def due(*conditions) -> list[tuple[int, int, str, datetime]]:
    """(id, seller, title, expires_at) of up to BATCH listings on sale meeting `conditions`,
    earliest expiry first."""
    query = (
        select(Listing.id, Listing.seller_id, Listing.title, Listing.expires_at)
        .where(Listing.status.in_(SEARCHABLE_STATUSES), *conditions)
        .order_by(Listing.expires_at, Listing.id)
        .limit(BATCH)
    )
    return [tuple(row) for row in db.session.execute(query)]


def claim(listing_id: int, *conditions, **values) -> bool:
    """Write `values` to the listing if it still meets `conditions`; whether it did (a
    second run, or one running beside it, finds nothing left to claim)."""
    statement = update(Listing).where(Listing.id == listing_id, *conditions).values(**values)
    return updated(statement) == 1


def updated(statement) -> int:
    """Run an UPDATE (no ORM synchronisation: these rows are not loaded) and say how many rows it changed."""
    result = db.session.execute(statement.execution_options(synchronize_session=False))
    count = cast(CursorResult[Any], result).rowcount
    if count:
        search_changed()  # past the ORM: its flush watch does not see it
    return count


def send_expiry_notices(now: datetime | None = None) -> int:
    """Tell the owners of listings that expire within LISTING_EXPIRY_NOTICE_DAYS (once per
    lifetime); returns how many were told."""
    now = now or utcnow()
    until = now + timedelta(days=current_app.config["LISTING_EXPIRY_NOTICE_DAYS"])
    conditions = (Listing.expires_at > now, Listing.expires_at <= until, Listing.expiry_noticed_at.is_(None))
    told = 0
    while rows := due(*conditions):
        before = told
        for listing_id, seller_id, title, expires_at in rows:
            if claim(listing_id, Listing.status.in_(SEARCHABLE_STATUSES), *conditions, expiry_noticed_at=now):
                payload = {
                    "listing_id": listing_id,
                    "title": title,
                    "expires_at": expires_at.isoformat(),
                    "url": listing_url(listing_id) + "#renew",
                }
                notify(seller_id, "listing_expiring", payload)
                told += 1
        db.session.flush()
        if told == before:  # the rest was claimed by a run beside this one
            break
    return told


def expire_listings(now: datetime | None = None) -> int:
    """Take listings whose lifetime is over out of search (status "expired") and tell their
    owners; returns how many expired."""
    now = now or utcnow()
    expired = 0
    while rows := due(Listing.expires_at <= now):
        before = expired
        for listing_id, seller_id, title, _expires_at in rows:
            if claim(listing_id, Listing.status.in_(SEARCHABLE_STATUSES), Listing.expires_at <= now, status="expired"):
                payload = {"listing_id": listing_id, "title": title, "url": listing_url(listing_id) + "#renew"}
                notify(seller_id, "listing_expired", payload)
                expired += 1
        db.session.flush()
        if expired == before:
            break
    return expired


def clear_finished_promotions(now: datetime | None = None) -> int:
    """Forget Top dates that have passed, so the partial index of Top listings (read by
    every search) holds only the running ones; returns how many listings changed. (A past
    highlight date is harmless: cards compare it with the clock.)"""
    now = now or utcnow()
    return updated(update(Listing).where(Listing.top_until <= now).values(top_until=None))


def run_lifecycle(now: datetime | None = None) -> dict[str, int]:
    """The periodic work in one call: notices, expiry, finished promotions."""
    now = now or utcnow()
    return {
        "noticed": send_expiry_notices(now),
        "expired": expire_listings(now),
        "promotions_ended": clear_finished_promotions(now),
    }


def can_renew(listing: Listing) -> bool:
    return listing.status in (*SEARCHABLE_STATUSES, "expired")


def renew(listing: Listing) -> bool:
    """The owner keeps the listing on sale for another lifetime from now: an expired one
    comes back to search (where it was in "newest": a renewal is not a raise). False when it
    is not on sale or expired."""
    if not can_renew(listing):
        return False
    if listing.status == "expired":
        listing.status = "active"
    start_lifetime(listing)
    db.session.flush()
    return True


def expire_job() -> str:
    """The scheduled task (app/schedule.py): `run_lifecycle` with a one-line summary; the job
    wrapper commits."""
    done = run_lifecycle()
    return ", ".join(f"{name} {count}" for name, count in done.items())
