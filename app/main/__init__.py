"""Home page, static pages, health check and development upload serving."""

from flask import Blueprint, Flask

bp = Blueprint("main", __name__)

from app.main import pages, routes  # noqa: E402,F401


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
