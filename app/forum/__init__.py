"""The forum: categories, topics, posts."""

from flask import Blueprint

bp = Blueprint("forum", __name__, url_prefix="/forum")

from app.forum import routes  # noqa: E402,F401
