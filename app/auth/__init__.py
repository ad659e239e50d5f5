"""Accounts: register, sign in and out, password change and reset, email confirmation."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from app.auth import routes  # noqa: E402,F401
from app.auth.session import configure_login  # noqa: E402,F401
