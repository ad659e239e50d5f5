"""Conversation pages."""

from flask import render_template
from flask_login import login_required

from app.chat import bp


@bp.route("/")
@login_required
def index():
    """The signed-in user's conversations."""
    return render_template("chat/index.html")
