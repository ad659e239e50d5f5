"""A short-lived, in-process cache of rendered fragments for anonymous visitors: a topic
page's post list and a category page's topic list.

Most views come from visitors who are not signed in, and for them these fragments are the
same HTML for everyone. They are kept for FORUM_ANON_CACHE_SECONDS (default 10, 0 under
TESTING; 0 turns the cache off). A post list's key changes with the topic's post count,
last post, lock and delete state and the page's language, so a new reply shows at once;
new posts, edits, deletions and moderation in this process clear everything
(`invalidate`). Another gunicorn process may show the old state for at most those seconds.
Signed-in members always get a fresh render (their pages carry per-user buttons).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from flask import current_app

MAX_ENTRIES = 512


class FragmentCache:
    def __init__(self) -> None:
        self.entries: OrderedDict[Any, tuple[float, str]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any) -> str | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or entry[0] < time.monotonic():
                self.entries.pop(key, None)
                return None
            return entry[1]

    def put(self, key: Any, html: str, ttl: float) -> None:
        with self.lock:
            self.entries[key] = (time.monotonic() + ttl, html)
            self.entries.move_to_end(key)
            while len(self.entries) > MAX_ENTRIES:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


FRAGMENTS = FragmentCache()


def ttl() -> float:
    # Off under TESTING unless a test turns it on: test databases reuse ids.
    return float(current_app.config.get("FORUM_ANON_CACHE_SECONDS", 0 if current_app.testing else 10))


def invalidate() -> None:
    """Something shown in post lists changed (edit, delete, restore, moderation)."""
    FRAGMENTS.clear()
