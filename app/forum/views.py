"""Topic view counts, buffered in the process and written in batches.

Writing `views = views + 1` and committing on every page view made each topic page a write
transaction (and a WAL flush on PostgreSQL); under load that was most of the page's time
(docs/performance.md). Views are counted here instead and written with one UPDATE per
topic by the first topic view after FORUM_VIEW_FLUSH_SECONDS (default 10; 0 writes at
once, as in tests). Pages
show the stored count plus what is pending in this process. A worker that dies loses at
most those seconds of views, which is acceptable for a popularity counter.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

from flask import current_app
from sqlalchemy import update

from app.extensions import db
from app.models import Topic


class ViewBuffer:
    def __init__(self) -> None:
        self.pending: Counter[int] = Counter()
        self.lock = threading.Lock()
        self.last_flush = time.monotonic()

    def add(self, topic_id: int) -> int:
        """Count one view; return the views of this topic not yet written."""
        with self.lock:
            self.pending[topic_id] += 1
            return self.pending[topic_id]

    def take_if_due(self, interval: float) -> dict[int, int]:
        """The pending counts when `interval` seconds have passed since the last write."""
        with self.lock:
            now = time.monotonic()
            if not self.pending or now - self.last_flush < interval:
                return {}
            taken, self.pending = dict(self.pending), Counter()
            self.last_flush = now
            return taken


BUFFER = ViewBuffer()


def flush_interval() -> float:
    return float(current_app.config.get("FORUM_VIEW_FLUSH_SECONDS", 0 if current_app.testing else 10))


def count_view(topic_id: int) -> int:
    """Count a view; return how many of this topic's views are still pending here."""
    return BUFFER.add(topic_id)


def flush_due_views() -> None:
    """Write the pending counts when due (one UPDATE per topic) and commit."""
    taken = BUFFER.take_if_due(flush_interval())
    if not taken:
        return
    for topic_id, views in sorted(taken.items()):
        db.session.execute(update(Topic).where(Topic.id == topic_id).values(views=Topic.views + views))
    db.session.commit()
