"""At most `MAX_SOCKETS_PER_USER` open Socket.IO connections per user (default 20): one
person with many tabs is fine, a script opening thousands is not.

With a Redis message queue the count is shared by every process: a sorted set per user
of "<process id>:<sid>" scored by connect time. A process that dies without saying goodbye
leaves its entries behind; they stop counting after `SOCKET_SLOT_TTL` seconds. Without a
queue (one process, tests) the count is kept in memory.
"""

from __future__ import annotations

import threading
import time
import uuid

from flask import current_app

PROCESS_ID = uuid.uuid4().hex[:12]


class LocalSockets:
    def __init__(self) -> None:
        self.sids: dict[int, set[str]] = {}
        self.lock = threading.Lock()

    def claim(self, user_id: int, sid: str, limit: int, ttl: int) -> bool:
        with self.lock:
            sids = self.sids.setdefault(user_id, set())
            if len(sids) >= limit:
                return False
            sids.add(sid)
            return True

    def release(self, user_id: int, sid: str) -> None:
        with self.lock:
            sids = self.sids.get(user_id, set())
            sids.discard(sid)
            if not sids:
                self.sids.pop(user_id, None)


class RedisSockets:
    # Trim stale entries, count, add when under the limit: one atomic step on the server.
    CLAIM = """
    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[3])
    if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
    redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
    redis.call('EXPIRE', KEYS[1], ARGV[3])
    return 1
    """

    def __init__(self, url: str) -> None:
        import redis

        self.redis = redis.Redis.from_url(url, max_connections=10000)
        self.claim_script = self.redis.register_script(self.CLAIM)

    def key(self, user_id: int) -> str:
        return f"garage:sockets:{user_id}"

    def claim(self, user_id: int, sid: str, limit: int, ttl: int) -> bool:
        args = [int(time.time()), limit, ttl, f"{PROCESS_ID}:{sid}"]
        return bool(self.claim_script(keys=[self.key(user_id)], args=args))

    def release(self, user_id: int, sid: str) -> None:
        self.redis.zrem(self.key(user_id), f"{PROCESS_ID}:{sid}")


_registries: dict[str | None, LocalSockets | RedisSockets] = {}


def registry() -> LocalSockets | RedisSockets:
    url = current_app.config["SOCKETIO_MESSAGE_QUEUE"]
    if url not in _registries:
        _registries[url] = RedisSockets(url) if url and url.startswith(("redis://", "rediss://")) else LocalSockets()
    return _registries[url]


def claim_socket(user_id: int, sid: str) -> bool:
    """Count this socket for the user; False (refuse it) when they already have the most."""
    config = current_app.config
    return registry().claim(user_id, sid, config["MAX_SOCKETS_PER_USER"], config["SOCKET_SLOT_TTL"])


def release_socket(user_id: int, sid: str) -> None:
    registry().release(user_id, sid)
