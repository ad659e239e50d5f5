"""Buyer–seller chat: conversation pages (`routes`), Socket.IO handlers (`events`), the
navbar's unread-messages badge, the "message" moderation target and demo conversations."""

from flask import Blueprint, Flask

bp = Blueprint("chat", __name__, url_prefix="/chat")

from app.chat import demo, events, moderation, routes, services  # noqa: E402,F401
from app.core.demo import add_demo_loader  # noqa: E402
from app.core.moderation import register_target  # noqa: E402
from app.core.templating import add_nav_counter  # noqa: E402
from app.extensions import socketio  # noqa: E402


def init_app(app: Flask) -> None:
    """Wire the chat in: its pages, its Socket.IO events (on the server `socketio.init_app`
    just made), the unread-messages badge, messages as a moderation target, the demo chat."""
    app.register_blueprint(bp)
    events.register(socketio)
    add_nav_counter(app, "messages", lambda user: services.unread_count(user.id))
    register_target(app, moderation.TARGET)
    add_demo_loader(app, demo.load_demo_chat)
