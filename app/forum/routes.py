"""Forum pages."""

from flask import render_template

from app.forum import bp


@bp.route("/")
def index():
    """Forum categories."""
    return render_template("forum/index.html")
