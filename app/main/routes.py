"""Site-wide pages."""

from __future__ import annotations

from flask import abort, current_app, jsonify, render_template, send_from_directory
from flask_login import current_user
from sqlalchemy import text

from app.catalog.services import popular_brands
from app.extensions import db, limiter
from app.listings.filters import Filters
from app.listings.search import card_context, search
from app.main import bp
from app.media import PRIVATE_KINDS


@bp.route("/")
def index():
    """The home page: a search form, popular makes and the latest listings."""
    latest = search(Filters(), per_page=8).listings
    return render_template(
        "main/index.html",
        latest=latest,
        makes=popular_brands(),
        **card_context(latest, current_user),
    )


@bp.route("/healthz")
@limiter.exempt
def healthz():
    """Liveness and database check for Docker and load balancers."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # any database failure makes the service unhealthy
        db.session.rollback()
        current_app.logger.warning("health check failed: %s", error)
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.route("/uploads/<path:filename>")
@limiter.exempt
def uploads(filename: str):
    """Public uploads, in development only; nginx serves /uploads in production."""
    kind = filename.split("/", 1)[0]
    if not current_app.config["SERVE_UPLOADS"] or kind in PRIVATE_KINDS:
        abort(404)
    response = send_from_directory(current_app.config["UPLOAD_FOLDER"], filename, max_age=31536000)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
