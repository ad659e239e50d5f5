"""Who is connected: per-user rooms and ending a user's sockets."""

from __future__ import annotations

from app.extensions import socketio


def user_room(user_id: int) -> str:
    return f"user_{user_id}"


def disconnect_user(user_id: int) -> None:
    """Close every Socket.IO connection of a user (logout, password change, ban).

    Sockets on this process are closed at once; every handler also re-checks the
    session version, so a socket elsewhere is refused at its next event.
    """
    server = socketio.server
    if server is None:
        return
    for sid, _ in list(server.manager.get_participants("/", user_room(user_id))):
        server.disconnect(sid, namespace="/")
