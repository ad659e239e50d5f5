"""Fixtures of the marketplace tests."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest


class Clock:
    """The site's clock (app.core.time.utcnow), moved forward by tests: `clock.move(hours=25)`."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def move(self, **delta) -> None:
        self.offset += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Moves the site's clock for every caller of utcnow (routes, services, model defaults)
    within this process; the database's own clock is not used by the code under test."""
    import app.core.time

    moved = Clock()

    class MovedDatetime(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) + moved.offset

    monkeypatch.setattr(app.core.time, "datetime", MovedDatetime)
    return moved
