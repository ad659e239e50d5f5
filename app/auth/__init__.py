"""Accounts: register, sign in and out, password change and reset, email confirmation."""

from flask import Blueprint, Flask

bp = Blueprint("auth", __name__, url_prefix="/auth")

from app.auth import routes  # noqa: E402,F401
from app.auth.session import configure_login  # noqa: E402
from app.extensions import login_manager  # noqa: E402


def init_app(app: Flask) -> None:
    """Wire accounts in: their pages and how Flask-Login loads (and refuses) a session's user."""
    app.register_blueprint(bp)
    configure_login(login_manager)
