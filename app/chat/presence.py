"""Who is connected: per-user rooms, ending a user's sockets on every worker, and which
conversation each person has open.

Ending sockets across processes: python-socketio's Redis manager already broadcasts a
`close_room` message to every process through the queue. `GarageRedisManager` adds a
`disconnect` flag to that message; each process, on receiving it, disconnects its own
sockets in the room before closing it. Without a queue (one process, tests) the local
manager does the same directly.

"Has the conversation open" is a set of socket ids per (user, pair room): in Redis when
the site runs with a message queue (so every worker sees it), in memory otherwise.
"""

from __future__ import annotations

import threading

import socketio as python_socketio

from app.extensions import socketio

NAMESPACE = "/"
VIEWING_TTL = 24 * 3600  # a crashed worker's entries expire


def user_room(user_id: int) -> str:
    return f"user_{user_id}"


class GarageRedisManager(python_socketio.RedisManager):
    """The Redis queue manager, able to disconnect a whole room on every process."""

    def disconnect_room(self, room: str, namespace: str = NAMESPACE) -> None:
        message = {
            "method": "close_room",
            "room": room,
            "namespace": namespace,
            "host_id": self.host_id,
            "disconnect": True,
        }
        self._handle_close_room(message)  # this process
        self._publish(message)  # the others

    def _handle_close_room(self, message):
        if message.get("disconnect"):
            disconnect_local(self, message.get("room"), message.get("namespace") or NAMESPACE)
        super()._handle_close_room(message)


def disconnect_local(manager, room: str, namespace: str = NAMESPACE) -> None:
    for sid, _ in list(manager.get_participants(namespace, room)):
        manager.server.disconnect(sid, namespace=namespace, ignore_queue=True)


def make_client_manager(url: str | None):
    """The Socket.IO client manager for `url` (Redis: cross-process disconnect), or None."""
    if not url or not url.startswith(("redis://", "rediss://")):
        return None
    # redis-py is pinned below 8.1 (no 100-connection pool cap); the explicit cap keeps
    # that true even if the pin moves (DESIGN.md).
    return GarageRedisManager(url, channel="flask-socketio", redis_options={"max_connections": 10000})


def disconnect_user(user_id: int) -> None:
    """Close every Socket.IO connection of a user, on every worker (logout, password
    change, ban). Every handler also re-checks the session version, as a second line."""
    server = socketio.server
    if server is None:
        return
    manager = server.manager
    if isinstance(manager, GarageRedisManager):
        manager.disconnect_room(user_room(user_id))
    else:
        disconnect_local(manager, user_room(user_id))


# --- open conversations ----------------------------------------------------------------


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
