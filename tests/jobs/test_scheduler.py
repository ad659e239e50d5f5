"""The scheduler and its periodic tasks: each task runs once per slot however many
schedulers are up (two real scheduler processes and a worker), old listing views are pruned,
and uploaded files no row names are deleted once a day old."""

from __future__ import annotations

import io
import os
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import media
from app.core.scheduler import ScheduledRun, run_due
from app.core.time import utcnow
from app.extensions import db
from app.listings.services import prune_views
from app.models import ListingView
from app.schedule import SCHEDULE, delete_orphan_uploads
from tests import factories, images
from tests.forum.helpers import make_topic
from tests.jobs.workers import wait_for


def add_views(listing_id: int, *ages_in_days: int) -> None:
    today = utcnow().date()
    for number, age in enumerate(ages_in_days):
        db.session.add(ListingView(listing_id=listing_id, visitor=f"u{number}", day=today - timedelta(days=age)))
    db.session.commit()


def view_ages(listing_id: int) -> list[int]:
    days = db.session.scalars(select(ListingView.day).where(ListingView.listing_id == listing_id))
    ages = sorted((utcnow().date() - day).days for day in days)
    db.session.rollback()
    return ages


def finished_runs() -> int:
    count = db.session.scalar(select(func.count()).where(ScheduledRun.finished_at.is_not(None)))
    db.session.rollback()  # no read transaction held open while other processes write (SQLite)
    return count or 0


def test_a_slot_is_claimed_once_and_the_next_slot_again(app):
    now = utcnow()
    assert run_due(SCHEDULE, now) == [task.name for task in SCHEDULE]
    assert run_due(SCHEDULE, now) == []
    runs = db.session.scalars(select(ScheduledRun)).all()
    assert len(runs) == len(SCHEDULE) and all(run.finished_at and run.outcome for run in runs)
    assert run_due(SCHEDULE, now + timedelta(days=1)) == [task.name for task in SCHEDULE]


@pytest.mark.live  # worker and scheduler processes read what the test committed
def test_two_schedulers_run_each_task_once(app, queue):
    listing = factories.make_listing(factories.make_user("seller"))
    add_views(listing.id, 0, 1, 45)
    schedulers = [queue.scheduler(LOG_LEVEL="DEBUG"), queue.scheduler(LOG_LEVEL="DEBUG")]
    worker = queue.worker()
    try:
        assert wait_for(lambda: finished_runs() == len(SCHEDULE), timeout=60), [s.output() for s in schedulers]
        time.sleep(3)  # both keep ticking (SCHEDULER_TICK=1) over the same slot
        logs = [scheduler.output() for scheduler in schedulers]
    finally:
        for process in (*schedulers, worker):
            process.stop()
    for log in logs:  # both ran and tried every task's slot
        assert log.count("scheduler started") == 1, log
        assert all(f"{task.name} for " in log for task in SCHEDULE), log
    claims = [line for log in logs for line in log.splitlines() if ": claimed " in line]
    assert len(claims) == len(SCHEDULE), claims
    assert db.session.scalar(select(func.count()).select_from(ScheduledRun)) == len(SCHEDULE)
    assert view_ages(listing.id) == [0, 1]


def test_prune_views_forgets_days_older_than_the_setting(app, monkeypatch):
    monkeypatch.setitem(app.config, "LISTING_VIEWS_KEEP_DAYS", 30)
    listing = factories.make_listing(factories.make_user("seller"))
    add_views(listing.id, 0, 29, 30, 31, 400)
    summary = prune_views()
    db.session.commit()
    assert view_ages(listing.id) == [0, 29, 30]
    assert summary.startswith("2 listing views")


def age(kind: str, name: str, hours: float) -> None:
    """Make every file of a stored picture `hours` old."""
    then = time.time() - hours * 3600
    for variant in media.KINDS[kind]:
        os.utime(media.storage().path(media.file_key(kind, name, variant.name)), (then, then))


def files_of(kind: str, name: str) -> list[bool]:
    return [media.storage().exists(media.file_key(kind, name, variant.name)) for variant in media.KINDS[kind]]


def test_orphan_uploads_older_than_a_day_are_deleted_and_owned_ones_kept(app):
    seller = factories.make_user("seller")
    picture = images.png()
    avatar, replaced, fresh = (media.save_image(io.BytesIO(picture), "avatars") for _ in range(3))
    seller.avatar = avatar
    in_post, never_posted = (media.save_image(io.BytesIO(picture), "posts") for _ in range(2))
    db.session.commit()
    make_topic(seller, body=f"Look:\n\n![](/uploads/posts/{in_post}_full.jpg)")
    for kind, name in (("avatars", avatar), ("avatars", replaced), ("posts", in_post), ("posts", never_posted)):
        age(kind, name, hours=25)
    age("avatars", fresh, hours=23)

    summary = delete_orphan_uploads()

    assert files_of("avatars", avatar) == [True, True]  # the user's avatar
    assert files_of("avatars", replaced) == [False, False]  # no row names it
    assert files_of("avatars", fresh) == [True, True]  # too young to judge
    assert files_of("posts", in_post) == [True]  # linked from a post
    assert files_of("posts", never_posted) == [False]
    assert "avatars 2" in summary and "posts 1" in summary


def test_flask_jobs_run_and_status(app, runner):
    listing = factories.make_listing(factories.make_user("seller"))
    add_views(listing.id, 100)
    result = runner.invoke(args=["jobs", "run", "listings.prune-views"])
    assert result.exit_code == 0 and "1 listing views" in result.output
    assert view_ages(listing.id) == []
    assert runner.invoke(args=["jobs", "run", "no-such-task"]).exit_code != 0
    run_due(SCHEDULE)
    status = runner.invoke(args=["jobs", "status"]).output
    assert "listings.prune-views" in status and "0 listing views" in status
    assert "no queue: jobs run in-process" in status
