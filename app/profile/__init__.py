"""Public profiles, settings, avatars, dealer details and seller reviews."""

from flask import Blueprint, Flask

bp = Blueprint("profile", __name__)

from app.core.moderation import register_target  # noqa: E402
from app.profile import activity, market, reviews, routes  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Wire profiles in: their pages, `flask profile response-times`, `seller_market(user)`
    and `seller_activity(user)` for the profile and listing templates, and reviews as a
    moderation target (reportable, removable from the queue)."""
    app.register_blueprint(bp)
    app.add_template_global(market.seller_market, "seller_market")
    app.add_template_global(activity.seller_activity, "seller_activity")
    register_target(app, reviews.TARGET)
