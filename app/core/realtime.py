"""Real-time plumbing every feature uses: each signed-in user's Socket.IO room, and ending a
user's sockets on every worker (logout, password change, ban).

Ending sockets across processes: python-socketio's Redis manager already broadcasts a
`close_room` message to every process through the queue. `GarageRedisManager` adds a
`disconnect` flag to that message; each process, on receiving it, disconnects its own
sockets in the room before closing it. Without a queue (one process, tests) the local
manager does the same directly.
"""

from __future__ import annotations

import hashlib

import socketio as python_socketio

from app.extensions import socketio

NAMESPACE = "/"


def user_room(user_id: int) -> str:
    """The room every socket of a user joins on connect."""
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


def channel_for(config) -> str:
    """SOCKETIO_CHANNEL, or `garage-` and a digest of the database URL: the processes of one
    stack share a database and so a channel; another stack on the same Redis does not."""
    if config.get("SOCKETIO_CHANNEL"):
        return config["SOCKETIO_CHANNEL"]
    digest = hashlib.sha256(str(config.get("SQLALCHEMY_DATABASE_URI", "")).encode()).hexdigest()[:12]
    return f"garage-{digest}"


def make_client_manager(url: str | None, channel: str):
    """The Socket.IO client manager for `url` on `channel` (Redis: cross-process
    disconnect), or None."""
    if not url or not url.startswith(("redis://", "rediss://")):
        return None
    # redis-py is pinned below 8.1 (no 100-connection pool cap); the explicit cap keeps
    # that true even if the pin moves: a chat worker holds thousands of sockets.
    return GarageRedisManager(url, channel=channel, redis_options={"max_connections": 10000})


def disconnect_user(user_id: int) -> None:
    """Close every Socket.IO connection of a user, on every worker (logout, password
    change, ban). Every handler also re-checks the session version, as a second line."""
    server = socketio.server  # type: ignore[attr-defined]  # set by init_app; the stubs omit it
    if server is None:
        return
    manager = server.manager
    if isinstance(manager, GarageRedisManager):
        manager.disconnect_room(user_room(user_id))
    else:
        disconnect_local(manager, user_room(user_id))
