"""The forum: categories, topics, posts, moderation, search and profile activity."""

from flask import Blueprint

bp = Blueprint("forum", __name__, url_prefix="/forum")

from app.forum import demo, moderation, routes  # noqa: E402,F401
from app.forum.profile import register_profile_helpers  # noqa: E402

register_profile_helpers(bp)
