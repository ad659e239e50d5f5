"""Loading the signed-in user, with the per-user session version checked every time.

The session and the remember-me cookie both carry "<id>:<session_version>" (see
`User.get_id`). Logout and password change bump the version, so every other session
and every copied cookie stops working at once, on every worker.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from app.extensions import db
from app.models import User


def load_user(token: str) -> User | None:
    user_id, _, version = token.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or user.is_banned:
        return None
    return user


def banned_user_for(token: str | None) -> User | None:
    """The banned user a still-open session belongs to, if it does (the loader refuses
    them, so the session looks anonymous; this tells why)."""
    user_id, _, version = (token or "").partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.is_banned:
        return None
    return user


def configure_login(login_manager: LoginManager) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    # "strong" would drop the session when the address or browser changes slightly;
    # the version check above is what makes logout final.
    login_manager.session_protection = "basic"
