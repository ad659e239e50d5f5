"""Public profiles, settings, avatars and dealer details."""

from flask import Blueprint

bp = Blueprint("profile", __name__)

from app.profile import market, routes  # noqa: E402,F401
