"""Administration pages."""

from flask import abort, render_template
from flask_login import current_user, login_required

from app.admin import bp


@bp.before_request
@login_required
def require_moderator():
    if not current_user.is_moderator:
        abort(403)


@bp.route("/")
def index():
    """Moderation dashboard."""
    return render_template("admin/index.html")
