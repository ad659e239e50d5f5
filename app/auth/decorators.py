"""Role checks for views: one place, used by every feature."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def role_required(allowed: Callable[[object], bool]) -> Callable:
    """Sign-in first (anonymous visitors go to the login page), then 403 unless `allowed`."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not allowed(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


moderator_required = role_required(lambda user: user.is_moderator)
moderator_required.__doc__ = "Moderators and admins only."
admin_required = role_required(lambda user: user.is_admin)
admin_required.__doc__ = "Admins only."
