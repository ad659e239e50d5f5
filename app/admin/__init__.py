"""Moderation and administration.

Two blueprints: `admin` (/admin, moderators and admins only) and `reports`
(/report/<type>/<id>, the report form any signed-in user may use).
"""

from flask import Blueprint, Flask

bp = Blueprint("admin", __name__, url_prefix="/admin")
reports_bp = Blueprint("reports", __name__, url_prefix="/report")

from app.admin import reports, routes, services, user_target  # noqa: E402,F401
from app.admin.demo import seed_pages  # noqa: E402
from app.core.demo import add_demo_loader  # noqa: E402
from app.core.moderation import register_target  # noqa: E402
from app.core.templating import add_nav_counter  # noqa: E402


def init_app(app: Flask) -> None:
    """Wire moderation in: both blueprints, the static pages of `flask seed`, the open-reports
    badge in moderators' navbar and users as a moderation target."""
    app.register_blueprint(bp)
    app.register_blueprint(reports_bp)
    add_demo_loader(app, seed_pages)
    add_nav_counter(app, "reports", services.reports_badge)
    register_target(app, user_target.TARGET)
