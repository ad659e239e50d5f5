"""Entry point. `python run.py` serves the site with Socket.IO (used by `make run`);
gunicorn imports `app` from here: `gunicorn -k gevent -w 1 run:app`.

gevent patches the standard library first, and psycogreen makes psycopg2 yield to other
greenlets while it waits for PostgreSQL; without it one slow query stalls the worker.
"""

from gevent import monkey

monkey.patch_all()

from psycogreen.gevent import patch_psycopg  # noqa: E402

patch_psycopg()

import gc  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402

import gevent  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import socketio  # noqa: E402

app = create_app()


def take_turns(wsgi_app):
    """Yield to the other greenlets before each request. A keep-alive connection whose next
    request is already waiting is served again without any wait on I/O, so one greenlet
    answering static files or template-only pages never gave the loop back: under wrk -c8
    a static file took 0.5 ms at p50 but 255 ms at p95. With a turn per request: 5.6 ms."""

    def middleware(environ, start_response):
        gevent.sleep(0)
        return wsgi_app(environ, start_response)

    return middleware


app.wsgi_app = take_turns(app.wsgi_app)
# Everything loaded so far lives as long as the process: keep it out of the collector's
# full passes, which otherwise paused 1,000-socket workers for 170-200 ms.
gc.collect()
gc.freeze()
# Young collections every 10,000 new objects instead of CPython's 700. A chat worker keeps
# a thousand sockets' worth of objects alive and has hundreds of events in flight; at 700,
# in-flight objects were promoted so often that full collections (75-135 ms with 1,000
# sockets) came every 2-3 s, each one a slow second for everybody. At 10,000 a young
# collection takes ~10 ms at worst and no full one ran in a 120 s run at 500 messages/s
# (docs/performance.md). GC_THRESHOLDS overrides it ("700,10,10" is CPython's default).
gc.set_threshold(*(int(value) for value in os.environ.get("GC_THRESHOLDS", "10000,20,10").split(",")))


def log_gc_pauses(threshold_ms: float) -> None:
    """Log every garbage collection that stops the worker for `threshold_ms` or more
    (GARAGE_GC_LOG_MS; scripts/bench_chat.py --monitor sets it)."""
    started: list[float] = []

    def callback(phase: str, info: dict) -> None:
        if phase == "start":
            started[:] = [time.perf_counter()]
        elif started:
            paused = (time.perf_counter() - started[0]) * 1000
            if paused >= threshold_ms:
                app.logger.warning("gc pause %.1f ms (generation %d, %d collected)", paused, info["generation"],
                                   info["collected"])  # fmt: skip

    gc.callbacks.append(callback)


if os.environ.get("GARAGE_GC_LOG_MS"):
    log_gc_pauses(float(os.environ["GARAGE_GC_LOG_MS"]))


def start_background_work() -> None:
    """make run is one command: the scheduler runs in this process (SCHEDULER_IN_PROCESS),
    and when jobs go to Redis (JOBS_REDIS_URL) a worker runs beside it, stopped with it."""
    if app.config["SCHEDULER_IN_PROCESS"]:
        from app.core.scheduler import start_in_background
        from app.schedule import SCHEDULE

        start_in_background(app, SCHEDULE)
    if app.config["JOBS_REDIS_URL"]:
        import atexit
        import subprocess
        import sys

        worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "jobs", "worker"])  # noqa: S603
        atexit.register(worker.terminate)


if __name__ == "__main__":
    start_background_work()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host  # noqa: S104
    print(f" * Garage on http://{shown}:{port}", flush=True)
    socketio.run(app, host=host, port=port, log_output=True)
