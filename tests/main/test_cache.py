"""app/core/cache.py in one process (the local cache of the tests): a value is kept until
its namespace is invalidated by a committed change, not by a rolled-back one; a request
asks the cache once per key; made-up keys past the budget are computed, not stored.
Across processes with Redis: tests/main/test_shared_cache.py."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.core import cache
from app.extensions import db


@pytest.fixture
def fresh_cache(app):
    cache.clear()
    yield
    cache.clear()


def counted(calls: list, value):
    def load():
        calls.append(value)
        return value

    return load


def test_a_value_is_kept_until_a_committed_change_invalidates_it(app, fresh_cache):
    calls: list = []
    for _ in range(2):
        with app.test_request_context():
            assert cache.remember("test", ("answer",), counted(calls, 42), timeout=60) == 42
    assert calls == [42]

    db.session.execute(text("SELECT 1"))  # in a transaction, as a request's change is
    cache.invalidate("test")
    db.session.rollback()  # a change that did not happen retires nothing
    with app.test_request_context():
        assert cache.remember("test", ("answer",), counted(calls, 43), timeout=60) == 42

    db.session.execute(text("SELECT 1"))
    cache.invalidate("test")
    db.session.commit()
    with app.test_request_context():
        assert cache.remember("test", ("answer",), counted(calls, 43), timeout=60) == 43
    assert calls == [42, 43]


def test_one_request_asks_once_per_key_and_timeout_zero_is_off(app, fresh_cache):
    calls: list = []
    with app.test_request_context():
        for _ in range(20):
            cache.remember("test", ("city", "kk"), counted(calls, "Алматы"), timeout=60)
    assert calls == ["Алматы"]
    with app.test_request_context():
        for _ in range(3):
            cache.remember("test", ("off",), counted(calls, "fresh"), timeout=0)
    assert calls == ["Алматы", "fresh", "fresh", "fresh"]


def test_made_up_keys_past_the_budget_are_computed_not_stored(app, fresh_cache):
    calls: list = []
    for _ in range(2):
        with app.test_request_context():
            for number in range(5):
                cache.remember("test", ("filter-form", number), counted(calls, number), timeout=60, budget=3)
    assert calls == [0, 1, 2, 3, 4, 3, 4]
