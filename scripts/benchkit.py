"""What the HTTP benchmarks share: a production-like gunicorn on a free port and wrk.

Used by scripts/bench_search.py and scripts/bench_forum.py (run them as scripts: this
folder is then on sys.path).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# wrk prints its latency distribution through this script, one key=value a line.
WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("p50=%d\\n", latency:percentile(50)))
  io.write(string.format("p95=%d\\n", latency:percentile(95)))
  io.write(string.format("p99=%d\\n", latency:percentile(99)))
  io.write(string.format("requests=%d\\n", summary.requests))
  io.write(string.format("duration=%d\\n", summary.duration))
  local e = summary.errors
  io.write(string.format("errors=%d\\n", e.connect + e.read + e.write + e.timeout + e.status))
end
"""


def require_wrk() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    """The production configuration for a throw-away local server (plain HTTP, no proxy)."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        FLASK_APP="app",
        FLASK_CONFIG="production",
        SECRET_KEY="bench-secret-not-for-production-0123456789",  # noqa: S106 (a throw-away bench server)
        LOG_LEVEL="WARNING",
        UPLOAD_FOLDER=tempfile.mkdtemp(prefix="garage-bench-uploads-"),
        MAIL_TO_LOG="1",
        COOKIE_SECURE="0",
        PROXY_FIX="0",
        **extra,
    )
    # production answers only its own Host names (400 otherwise); wrk asks for 127.0.0.1
    env.setdefault("TRUSTED_HOSTS", "127.0.0.1")
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict[str, str], processes: int = 1) -> tuple[list[subprocess.Popen], str]:
    """`gunicorn -k gevent -w 1 run:app`, one or more processes sharing one port."""
    port = free_port()
    command = [
        PYTHON, "-m", "gunicorn", "-k", "gevent", "-w", "1", "--no-control-socket", "--worker-connections", "1000",
        "-b", f"127.0.0.1:{port}", "--log-level", "warning", "run:app",
    ]  # fmt: skip
    if processes > 1:
        command.insert(-1, "--reuse-port")
    servers = [subprocess.Popen(command, cwd=ROOT, env=env) for _ in range(processes)]
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/healthz", timeout=5).ok:
                return servers, base
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    stop(servers)
    sys.exit("gunicorn did not start")


def stop(servers: list[subprocess.Popen]) -> None:
    for server in servers:
        server.terminate()
    for server in servers:
        server.wait(timeout=10)


def run_wrk(base: str, path: str, duration: int, connections: int) -> dict[str, float]:
    """Warm the page up, then load it with wrk; latencies in ms, throughput in requests/s."""
    for _ in range(20):  # caches and the connection pool
        response = requests.get(base + path, timeout=10)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    try:
        output = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "-s", script.name, base + path],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    values = dict(re.findall(r"^(\w+)=(\d+)$", output, re.MULTILINE))
    seconds = int(values["duration"]) / 1e6
    return {
        "p50": int(values["p50"]) / 1000,
        "p95": int(values["p95"]) / 1000,
        "p99": int(values["p99"]) / 1000,
        "rps": int(values["requests"]) / seconds,
        "errors": int(values["errors"]),
    }
