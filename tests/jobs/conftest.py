"""Fixtures of the jobs tests: a queue of the test's own, used by the app under test (the web
side) and by the worker and scheduler processes it starts; an SMTP sink."""

from __future__ import annotations

import pytest

from tests.jobs.workers import JobQueue, SmtpSink


@pytest.fixture
def queue(app, monkeypatch):
    jobs = JobQueue()
    monkeypatch.setitem(app.config, "JOBS_REDIS_URL", jobs.env["JOBS_REDIS_URL"])
    monkeypatch.setitem(app.config, "JOBS_QUEUE", jobs.name)
    monkeypatch.setitem(app.config, "JOBS_RETRY_INTERVALS", [1, 1, 1])  # set by whoever queues the job
    yield jobs
    jobs.remove()


@pytest.fixture
def sink():
    server = SmtpSink()
    yield server
    server.stop()
