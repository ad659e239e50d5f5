"""Background jobs: work a page should not wait for and must not lose (mails, saved-search
alerts, notification fan-out, the periodic tasks of app/core/scheduler.py).

    enqueue(deliver_mail, to, subject, body)

queues `deliver_mail(to, subject, body)` once the current transaction commits; a rollback
queues nothing. With JOBS_REDIS_URL set the job goes to an RQ queue in Redis and a worker
(`flask jobs worker`) runs it; a job queued while no worker runs waits there until one
starts, and a failed job is tried again after each of JOBS_RETRY_INTERVALS. Without a queue
(a fresh machine, the tests) the job runs in this process right after the commit, once.

A job is a module-level function of the `app` package, called in an app context of its
own with JSON values (ids, strings, numbers: never ORM objects — load them in the job);
its changes are committed when it returns, and raising fails it (retried from the queue).
A permanent failure (a refused address) should be logged and swallowed, not raised.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry, SimpleWorker
from rq.serializers import JSONSerializer

from app.core.after_commit import after_commit
from app.extensions import db

log = logging.getLogger("garage.jobs")
Job = tuple[str, list[Any], dict[str, Any]]  # (function path, args, kwargs)
FAILED_JOBS_KEPT = 7 * 24 * 3600  # seconds a failed job stays in RQ's failed registry


def enqueue(func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run `func(*args, **kwargs)` in the background once this transaction commits (at once
    when no transaction is open, or from an after-commit hook)."""
    job = (function_path(func), plain(list(args)), plain(kwargs))
    transaction = db.session().get_transaction()
    if transaction is not None and transaction.is_active:
        after_commit("jobs", job, deliver=dispatch)
    else:  # none open, or called from an after-commit hook: the commit is done
        dispatch([job])


def function_path(func: Callable[..., Any]) -> str:
    """The job's name, "app.module:function": what a worker imports to run it."""
    path = f"{func.__module__}:{func.__qualname__}"
    if not func.__module__.startswith("app.") or "<" in func.__qualname__:
        raise ValueError(f"a job must be a module-level function of the app package, not {path}")
    return path


def resolve(path: str) -> Callable[..., Any]:
    """The function a job names; only functions of the app package (a job comes from Redis)."""
    module, _, name = path.partition(":")
    if not module.startswith("app.") or not name:
        raise ValueError(f"not a job of this application: {path!r}")
    target: Any = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    return target


def plain(values: Any) -> Any:
    """The values as a worker receives them (JSON): an ORM object fails here, in the caller."""
    return json.loads(json.dumps(values))


def dispatch(jobs: list[Job]) -> None:
    """After the commit (no SQL on the committed session): hand each job to the queue, or run
    it here when there is none or Redis cannot take it (logged: better late than lost)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # Flask types the proxy as the app
    queue = job_queue(app)
    for job in jobs:
        if queue is not None:
            try:
                push(queue, app, job)
                continue
            except RedisError:
                log.exception("the job queue is unreachable: running %s in this process", job[0])
        run_here(app, job)


def push(queue: Queue, app: Flask, job: Job) -> None:
    intervals = app.config["JOBS_RETRY_INTERVALS"]
    queue.enqueue(
        perform,
        *job,
        retry=Retry(max=len(intervals), interval=intervals) if intervals else None,
        job_timeout=app.config["JOBS_TIMEOUT"],
        result_ttl=3600,
        failure_ttl=FAILED_JOBS_KEPT,
        description=job[0],
    )


def run_here(app: Flask, job: Job) -> None:
    """The in-process fallback: one attempt; a failure is logged, never raised into the page."""
    try:
        perform_in(app, *job)
    except Exception:
        log.exception("job %s failed", job[0])


def perform_in(app: Flask, path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """Run one job in a fresh app context (its own database session) and commit its changes."""
    with app.app_context():
        result = resolve(path)(*args, **kwargs)
        db.session.commit()
        return result


def perform(path: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    """What the RQ worker runs (inside `flask jobs worker`'s app context)."""
    perform_in(current_app._get_current_object(), path, args, kwargs)  # type: ignore[attr-defined]  # as above
    log.info("job %s done", path)


def queue_name(app: Flask) -> str:
    return app.config["JOBS_QUEUE"] or app.config["SOCKETIO_CHANNEL"]


def job_queue(app: Flask) -> Queue | None:
    """The RQ queue of this app, or None when jobs run in-process (no JOBS_REDIS_URL)."""
    url = app.config["JOBS_REDIS_URL"]
    if not url:
        return None
    connections: dict[str, Redis] = app.extensions.setdefault("garage.jobs", {})
    if url not in connections:
        connections[url] = Redis.from_url(url, socket_connect_timeout=3, socket_timeout=10)
    return Queue(queue_name(app), connection=connections[url], serializer=JSONSerializer)


def work(app: Flask, burst: bool = False) -> bool:
    """Run a worker on this app's queue until SIGTERM (or, `burst`, until the queue is empty).
    One process, no fork per job: the app and its database pool are reused; RQ's own
    scheduler runs inside it and moves retries back into the queue when they are due."""
    queue = job_queue(app)
    if queue is None:
        raise RuntimeError("JOBS_REDIS_URL is not set: jobs run in the web process, no worker is needed")
    worker = SimpleWorker([queue], connection=queue.connection, serializer=JSONSerializer)
    return worker.work(burst=burst, with_scheduler=True, logging_level=app.config["LOG_LEVEL"])
