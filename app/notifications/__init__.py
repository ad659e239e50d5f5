"""In-site notifications and email."""

from flask import Blueprint, Flask

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

from app.core.templating import add_nav_counter  # noqa: E402
from app.notifications import routes, services  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Wire notifications in: the notification centre and the bell's unread count."""
    app.register_blueprint(bp)
    add_nav_counter(app, "notifications", services.unread_badge)
