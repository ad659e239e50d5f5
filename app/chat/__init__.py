"""Buyer–seller chat: conversation pages (`routes`), Socket.IO handlers (`events`), the
navbar's unread-messages badge, the "message" moderation target and demo conversations."""

from flask import Blueprint, Flask

bp = Blueprint("chat", __name__, url_prefix="/chat")

from app.chat import demo, events, moderation, routes, services  # noqa: E402,F401
from app.cli import DEMO_LOADERS  # noqa: E402
from app.core.templating import NAV_COUNTERS  # noqa: E402

NAV_COUNTERS["messages"] = lambda user: services.unread_count(user.id)
moderation.register()
DEMO_LOADERS.append(demo.load_demo_chat)


def init_app(app: Flask) -> None:
    """Wire the chat into `app`: its blueprint and its Socket.IO events."""
    from app.extensions import socketio

    app.register_blueprint(bp)
    events.register(socketio)
