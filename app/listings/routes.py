"""Listing pages."""

from flask import render_template
from flask_login import login_required

from app.listings import bp


@bp.route("/")
def search():
    """Search listings."""
    return render_template("listings/search.html")


@bp.route("/new")
@login_required
def new():
    """Create a listing."""
    return render_template("listings/search.html")
