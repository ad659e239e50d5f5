"""In-site notifications and email."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

from app.notifications import routes, services  # noqa: E402,F401

services.register_nav_counter()
