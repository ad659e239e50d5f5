"""Support: the contact form (guests and members), members' tickets, and the staff's desk
at /admin/support. Two blueprints: `support` (/support) and `support_admin`
(/admin/support, moderators and admins only)."""

from flask import Blueprint, Flask

bp = Blueprint("support", __name__, url_prefix="/support")
admin_bp = Blueprint("support_admin", __name__, url_prefix="/admin/support")

from app.core.templating import add_nav_counter  # noqa: E402
from app.support import admin, routes, services  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Wire support in: both blueprints and the open-tickets badge in staff's navbar."""
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    add_nav_counter(app, "support", services.open_badge)
