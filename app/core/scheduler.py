"""Periodic tasks, each run once per period however many schedulers are up.

The tasks are one table, `SCHEDULE` in app/schedule.py: `Periodic(name, every, run)`.
Time is cut into slots of `every` (counted from 1970-01-01 UTC, so a day starts at
midnight UTC). On each tick a scheduler (`flask jobs scheduler`) claims the current slot of
every task by INSERTing the row (task, slot) into `scheduled_runs`: the primary key lets
exactly one scheduler succeed, and only that one enqueues the task as a job (after the
claim commits). The job records when it finished and its one-line outcome in the row
(`flask jobs status`). A slot missed while no scheduler ran is not made up: the next one runs.

A task is a plain function of no arguments, safe to run twice, that returns a short summary
(or None); its changes are committed when it returns.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from flask import Flask, current_app
from sqlalchemy import CursorResult, String, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app.core.jobs import enqueue, function_path, resolve
from app.core.time import utcnow
from app.extensions import Model, db

log = logging.getLogger("garage.scheduler")
EPOCH = datetime(1970, 1, 1)
RUNS_KEPT = timedelta(days=30)


@dataclass(frozen=True)
class Periodic:
    name: str  # "listings.prune-views": unique, kept in scheduled_runs
    every: timedelta
    run: Callable[[], object]

    def slot(self, now: datetime) -> datetime:
        """The start of the period `now` falls in."""
        seconds = int(self.every.total_seconds())
        elapsed = int((now - EPOCH).total_seconds())
        return EPOCH + timedelta(seconds=elapsed - elapsed % seconds)


class ScheduledRun(Model):
    """One claimed slot of a periodic task: who claimed it, when it finished, what it did."""

    __tablename__ = "scheduled_runs"

    task: Mapped[str] = mapped_column(String(80), primary_key=True)
    slot: Mapped[datetime] = mapped_column(primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str] = mapped_column(String(120), default="")
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(String(200), default="")


def run_due(schedule: Iterable[Periodic], now: datetime | None = None) -> list[str]:
    """Claim the current slot of every task no scheduler has claimed yet and enqueue those
    tasks; returns the names this call claimed."""
    now = now or utcnow()
    return [task.name for task in schedule if claim(task, task.slot(now))]


def claim(task: Periodic, slot: datetime) -> bool:
    if db.session.get(ScheduledRun, (task.name, slot)) is not None:
        db.session.rollback()
        log.debug("%s for %s already claimed", task.name, slot.isoformat())
        return False
    db.session.add(ScheduledRun(task=task.name, slot=slot, claimed_by=f"{socket.gethostname()}:{os.getpid()}"))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        log.info("%s for %s claimed by another scheduler first", task.name, slot.isoformat())
        return False
    enqueue(run_task, task.name, slot.isoformat(), function_path(task.run))
    db.session.commit()
    log.info("claimed %s for %s", task.name, slot.isoformat())
    return True


def run_task(name: str, slot: str, path: str) -> None:
    """The job of one claimed slot: run the task, record its outcome."""
    outcome = resolve(path)()
    db.session.execute(
        update(ScheduledRun)
        .where(ScheduledRun.task == name, ScheduledRun.slot == datetime.fromisoformat(slot))
        .values(finished_at=utcnow(), outcome=str(outcome if outcome is not None else "done")[:200])
    )
    log.info("%s (%s): %s", name, slot, outcome)


def forget_old_runs() -> str:
    """Drop the records of slots older than RUNS_KEPT."""
    result = db.session.execute(delete(ScheduledRun).where(ScheduledRun.slot < utcnow() - RUNS_KEPT))
    deleted = cast(CursorResult[Any], result).rowcount  # a DELETE's result is a CursorResult
    return f"{deleted or 0} old runs forgotten"


def latest_runs() -> list[ScheduledRun]:
    """The newest claimed slot of each task (for `flask jobs status`)."""
    newest = select(ScheduledRun.task, db.func.max(ScheduledRun.slot).label("slot")).group_by(ScheduledRun.task)
    rows = newest.subquery()
    query = select(ScheduledRun).join(rows, (ScheduledRun.task == rows.c.task) & (ScheduledRun.slot == rows.c.slot))
    return list(db.session.scalars(query.order_by(ScheduledRun.task)))


class Scheduler:
    """The loop of `flask jobs scheduler` (and of `make run`'s background thread)."""

    def __init__(self, app: Flask, schedule: Iterable[Periodic]) -> None:
        self.app = app
        self.schedule = tuple(schedule)
        self.stopping = threading.Event()

    def run(self, once: bool = False) -> None:
        while not self.stopping.is_set():
            self.tick()
            if once:
                return
            self.stopping.wait(self.app.config["SCHEDULER_TICK"])

    def tick(self) -> None:
        with self.app.app_context():
            try:
                run_due(self.schedule)
            except Exception:  # the database may be away for a moment: try again next tick
                log.exception("scheduler tick failed")
                db.session.rollback()
            heartbeat(current_app.config["SCHEDULER_HEARTBEAT_FILE"])

    def stop_on_signals(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: self.stopping.set())


def heartbeat(path: str) -> None:
    """Touch the file the container's health check looks at."""
    if path:
        Path(path).touch()


def start_in_background(app: Flask, schedule: Iterable[Periodic]) -> threading.Thread:
    """Run the scheduler in a daemon thread of this process (make run: one command)."""
    thread = threading.Thread(target=Scheduler(app, schedule).run, name="scheduler", daemon=True)
    thread.start()
    return thread
