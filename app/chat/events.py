"""Socket.IO handlers. Every connection belongs to a signed-in user."""

from __future__ import annotations

from flask_login import current_user
from flask_socketio import join_room

from app.chat.presence import user_room
from app.extensions import socketio


@socketio.on("connect")
def on_connect(auth=None):
    """Refuse anonymous sockets; put each signed-in socket into its user's room."""
    if not current_user.is_authenticated:
        return False
    join_room(user_room(current_user.id))
    return True
