"""Moderation and administration.

Two blueprints: `admin` (/admin, moderators and admins only) and `reports`
(/report/<type>/<id>, the report form any signed-in user may use).
"""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
reports_bp = Blueprint("reports", __name__, url_prefix="/report")

from app.admin import reports, routes, services, user_target  # noqa: E402,F401
from app.admin.demo import seed_pages  # noqa: E402
from app.cli import DEMO_LOADERS  # noqa: E402

DEMO_LOADERS.append(seed_pages)
services.register_nav_counter()
