"""Notification pages."""

from flask import render_template
from flask_login import login_required

from app.notifications import bp


@bp.route("/")
@login_required
def index():
    """The signed-in user's notifications."""
    return render_template("notifications/index.html")
