"""Listings: create and edit, photos, search, favorites, saved searches."""

from flask import Blueprint

bp = Blueprint("listings", __name__, url_prefix="/listings")

from app.listings import routes  # noqa: E402,F401
