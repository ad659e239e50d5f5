"""The attacks in this folder must leave no traceback in the log: a test in which the app
logged an exception (an unhandled error, a failed socket event...) fails, naming it; the live
servers these tests start are checked the same way when they stop."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest


class LoggedTracebacks(logging.Handler):
    """Every record the app logs with a traceback while one test runs."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.records.append(record)


@pytest.fixture(autouse=True)
def no_tracebacks_logged():
    handler = LoggedTracebacks()
    logging.getLogger().addHandler(handler)
    yield
    logging.getLogger().removeHandler(handler)
    if handler.records:
        first = handler.records[0]
        message = f"{first.getMessage()} ({first.exc_info[1]!r})"
        pytest.fail(f"the app logged {len(handler.records)} traceback(s), the first: {message}")


def assert_no_traceback(server) -> None:
    """A stopped live server's log holds no traceback."""
    text = Path(server.log.name).read_text(errors="replace")
    assert "Traceback" not in text, "the server logged a traceback:\n" + text[text.find("Traceback") :][:3000]
