"""Real processes for the jobs tests: `flask jobs worker`, `flask jobs scheduler` and the SMTP
sink (scripts/smtp_sink.py), each a subprocess of its own with a log in the test folder.

Jobs go to the shared Redis (127.0.0.1:6379, database 0, which no test empties) under a
queue name of the test's own, so parallel runs never take each other's jobs.
"""

from __future__ import annotations

import email
import subprocess
import sys
import time
import uuid
from email import policy
from email.message import EmailMessage
from pathlib import Path

from redis import Redis
from rq import Queue
from rq.serializers import JSONSerializer

from tests.conftest import ROOT, TMP, free_port, server_env

REDIS_URL = "redis://127.0.0.1:6379/0"


def wait_for(condition, timeout: float = 20, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return bool(condition())


class Process:
    """A subprocess whose output goes to a log file of its own."""

    def __init__(self, name: str, command: list[str], **env: str) -> None:
        self.name = name
        self.log_path = TMP / f"{name}-{uuid.uuid4().hex[:6]}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=server_env(**env), stdout=self.log, stderr=subprocess.STDOUT
        )

    def output(self) -> str:
        return self.log_path.read_text()

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.running():
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.close()


class JobQueue:
    """A queue of the test's own on the real Redis; `env` is what a process needs to use it."""

    def __init__(self) -> None:
        self.name = f"garage-jobs-test-{uuid.uuid4().hex[:10]}"
        self.redis = Redis.from_url(REDIS_URL)
        self.queue = Queue(self.name, connection=self.redis, serializer=JSONSerializer)
        self.env = {
            "FLASK_CONFIG": "development",
            "SECRET_KEY": "jobs-test-secret-key",
            "JOBS_REDIS_URL": REDIS_URL,
            "JOBS_QUEUE": self.name,
            "JOBS_RETRY_INTERVALS": "1,1,1",
            "LOG_LEVEL": "INFO",
        }

    def waiting(self) -> int:
        return self.queue.count

    def worker(self, **env: str) -> Process:
        command = [sys.executable, "-m", "flask", "--app", "app", "jobs", "worker"]
        worker = Process("worker", command, **{**self.env, **env})
        assert wait_for(lambda: "Listening on" in worker.output() or not worker.running(), timeout=60), worker.output()
        assert worker.running(), worker.output()
        return worker

    def scheduler(self, **env: str) -> Process:
        command = [sys.executable, "-m", "flask", "--app", "app", "jobs", "scheduler"]
        return Process("scheduler", command, **{**self.env, "SCHEDULER_TICK": "1", **env})

    def remove(self) -> None:
        """Delete every key of this queue (its jobs, registries and the scheduler's lock)."""
        self.queue.delete(delete_jobs=True)
        for key in self.redis.scan_iter(f"*{self.name}*"):
            self.redis.delete(key)


class SmtpSink:
    """scripts/smtp_sink.py on a free port; the mails it accepted, as parsed messages."""

    def __init__(self, refuse_first: int = 0) -> None:
        self.port = free_port()
        self.folder = TMP / f"mail-{self.port}"
        command = [sys.executable, "scripts/smtp_sink.py", "--port", str(self.port), "--dir", str(self.folder)]
        self.process = Process("smtp-sink", [*command, "--refuse-first", str(refuse_first)])
        assert wait_for(lambda: "smtp sink on" in self.process.output(), timeout=20), self.process.output()
        self.env = {"MAIL_TO_LOG": "0", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(self.port), "MAIL_USE_TLS": "0"}

    def mails(self) -> list[EmailMessage]:
        files = sorted(Path(self.folder).glob("*.eml"), key=lambda path: int(path.stem)) if self.folder.exists() else []
        return [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]  # type: ignore[misc]

    def refusals(self) -> int:
        return self.process.output().count("refused a mail")

    def stop(self) -> None:
        self.process.stop()
