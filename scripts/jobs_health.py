"""Health check of the worker and scheduler containers (docker-compose.yml):

    python scripts/jobs_health.py worker      # a worker of this container is registered in Redis
    python scripts/jobs_health.py scheduler   # the scheduler ticked recently (its heartbeat file)

Exit status 0 when healthy. Light on purpose (no Flask app is built): it runs every 15 s.
"""

from __future__ import annotations

import os
import socket
import sys
import time

TICKS_MISSED = 3  # the scheduler is unhealthy after this many ticks without a heartbeat


def worker_registered() -> bool:
    """RQ registers each worker in Redis with its host name (the container's) and drops the
    registration when it stops or its heartbeat expires."""
    from redis import Redis
    from rq import Worker

    connection = Redis.from_url(os.environ["JOBS_REDIS_URL"], socket_connect_timeout=3, socket_timeout=5)
    return any(worker.hostname == socket.gethostname() for worker in Worker.all(connection=connection))


def scheduler_ticking() -> bool:
    path = os.environ.get("SCHEDULER_HEARTBEAT_FILE", "")
    tick = int(os.environ.get("SCHEDULER_TICK") or 30)
    try:
        return time.time() - os.stat(path).st_mtime < TICKS_MISSED * tick + 10
    except OSError:
        return False


def main() -> int:
    role = sys.argv[1] if len(sys.argv) > 1 else ""
    checks = {"worker": worker_registered, "scheduler": scheduler_ticking}
    if role not in checks:
        print("usage: jobs_health.py worker|scheduler", file=sys.stderr)
        return 2
    healthy = checks[role]()
    print(f"{role}: {'healthy' if healthy else 'UNHEALTHY'}")
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
