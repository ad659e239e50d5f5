"""Which conversation each person has open (per-user rooms and disconnects are in
app/core/realtime.py).

"Has the conversation open" is a set of socket ids per (user, pair room): in Redis when
the site runs with a message queue (so every worker sees it), in memory otherwise.
"""

from __future__ import annotations

import logging
import threading

logger = logging.getLogger(__name__)
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
    """In Redis: every worker sees every socket. Keys are prefixed with the stack's channel.
    While Redis is unreachable nothing here raises: joining and leaving still work, and
    nobody counts as viewing (the recipient gets a notification rather than nothing)."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self.redis = redis.Redis.from_url(url, max_connections=10000, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix
        self.errors = (redis.RedisError, OSError)

    def key(self, user_id: int, room: str) -> str:
        return f"{self.prefix}:viewing:{room}:{user_id}"

    def add(self, user_id: int, room: str, sid: str) -> None:
        try:
            pipe = self.redis.pipeline()
            pipe.sadd(self.key(user_id, room), sid)
            pipe.expire(self.key(user_id, room), VIEWING_TTL)
            pipe.execute()
        except self.errors:
            logger.warning("Redis unreachable: open conversation of user %s not recorded", user_id)

    def remove(self, user_id: int, room: str, sid: str) -> None:
        try:
            self.redis.srem(self.key(user_id, room), sid)
        except self.errors:
            logger.warning("Redis unreachable: closed conversation of user %s not recorded", user_id)

    def is_viewing(self, user_id: int, room: str) -> bool:
        try:
            return bool(self.redis.scard(self.key(user_id, room)))
        except self.errors:
            return False


_viewing: dict[tuple[str | None, str], LocalViewing | RedisViewing] = {}


def viewing(url: str | None, channel: str = "garage") -> LocalViewing | RedisViewing:
    """The open-conversation registry for the app's message queue URL and channel."""
    if (url, channel) not in _viewing:
        redis_url = url and url.startswith(("redis://", "rediss://"))
        _viewing[(url, channel)] = RedisViewing(url, channel) if redis_url else LocalViewing()
    return _viewing[(url, channel)]
