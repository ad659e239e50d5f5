"""Which conversation each person has open (per-user rooms and disconnects are in
app/core/realtime.py).

"Has the conversation open" is a set of socket ids per (user, pair room): in Redis when
the site runs with a message queue (so every worker sees it), in memory otherwise.
"""

from __future__ import annotations

import threading

VIEWING_TTL = 24 * 3600  # a crashed worker's entries expire


class LocalViewing:
    """In-memory: one process (make run, tests)."""

    def __init__(self) -> None:
        self.sids: dict[tuple[int, str], set[str]] = {}
        self.lock = threading.Lock()

    def add(self, user_id: int, room: str, sid: str) -> None:
        with self.lock:
            self.sids.setdefault((user_id, room), set()).add(sid)

    def remove(self, user_id: int, room: str, sid: str) -> None:
        with self.lock:
            sids = self.sids.get((user_id, room))
            if sids is not None:
                sids.discard(sid)
                if not sids:
                    del self.sids[(user_id, room)]

    def is_viewing(self, user_id: int, room: str) -> bool:
        return bool(self.sids.get((user_id, room)))


class RedisViewing:
    """In Redis: every worker sees every socket."""

    def __init__(self, url: str) -> None:
        import redis

        self.redis = redis.Redis.from_url(url, max_connections=10000)

    def key(self, user_id: int, room: str) -> str:
        return f"garage:viewing:{room}:{user_id}"

    def add(self, user_id: int, room: str, sid: str) -> None:
        pipe = self.redis.pipeline()
        pipe.sadd(self.key(user_id, room), sid)
        pipe.expire(self.key(user_id, room), VIEWING_TTL)
        pipe.execute()

    def remove(self, user_id: int, room: str, sid: str) -> None:
        self.redis.srem(self.key(user_id, room), sid)

    def is_viewing(self, user_id: int, room: str) -> bool:
        return bool(self.redis.scard(self.key(user_id, room)))


_viewing: dict[str | None, LocalViewing | RedisViewing] = {}


def viewing(url: str | None) -> LocalViewing | RedisViewing:
    """The open-conversation registry for the app's message queue URL."""
    if url not in _viewing:
        _viewing[url] = RedisViewing(url) if url and url.startswith(("redis://", "rediss://")) else LocalViewing()
    return _viewing[url]
