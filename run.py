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

from app import create_app  # noqa: E402
from app.extensions import socketio  # noqa: E402

app = create_app()
# Everything loaded so far lives as long as the process: keep it out of the collector's
# full passes, which otherwise paused 1,000-socket workers for 170-200 ms.
gc.collect()
gc.freeze()


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

if __name__ == "__main__":
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host  # noqa: S104
    print(f" * Garage on http://{shown}:{port}", flush=True)
    socketio.run(app, host=host, port=port, log_output=True)
