"""Work that must wait until the transaction commits: live pushes, mails, closing a banned
user's sockets. Nobody hears of a change that was rolled back.

    after_commit("notifications.push", user_id, deliver=push_counts)

collects `user_id` for this transaction; after the commit `push_counts([...])` is called
once with everything collected under that key, in order. A rollback drops it all. No SQL
may run in `deliver` (the session is between transactions).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

PENDING = "garage_after_commit"

Deliver = Callable[[list[Any]], None]


def after_commit(key: str, item: Any, deliver: Deliver) -> None:
    """Hand `item` to `deliver` (with the other items of `key`) once this transaction commits."""
    batches: dict[str, tuple[Deliver, list[Any]]] = db.session.info.setdefault(PENDING, {})
    batches.setdefault(key, (deliver, []))[1].append(item)


def deliver_pending(session: Session) -> None:
    for deliver, items in session.info.pop(PENDING, {}).values():
        deliver(items)


def forget_pending(session: Session) -> None:
    session.info.pop(PENDING, None)


def install() -> None:
    """Listen to every session's commits and rollbacks (once per process)."""
    if not event.contains(Session, "after_commit", deliver_pending):
        event.listen(Session, "after_commit", deliver_pending)
        event.listen(Session, "after_rollback", forget_pending)
