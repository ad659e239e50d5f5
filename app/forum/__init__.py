"""The forum: categories, topics, posts, moderation, search and profile activity."""

from flask import Blueprint, Flask

bp = Blueprint("forum", __name__, url_prefix="/forum")

from app.core.demo import add_demo_loader  # noqa: E402
from app.core.moderation import register_target  # noqa: E402
from app.forum import demo, moderation, routes  # noqa: E402,F401
from app.forum.profile import register_profile_helpers  # noqa: E402


def init_app(app: Flask) -> None:
    """Wire the forum in: its pages, its template helpers for profiles and search, posts as a
    moderation target and the demo topics."""
    app.register_blueprint(bp)
    register_profile_helpers(app)
    register_target(app, moderation.TARGET)
    add_demo_loader(app, demo.load_forum_demo)
