"""Public profiles, settings, avatars, dealer details and seller reviews."""

from flask import Blueprint, Flask

bp = Blueprint("profile", __name__)

from app.core.moderation import register_target  # noqa: E402
from app.profile import market, reviews, routes  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Wire profiles in: their pages, `seller_market(user)` for the profile template and
    reviews as a moderation target (reportable, removable from the queue)."""
    app.register_blueprint(bp)
    app.add_template_global(market.seller_market, "seller_market")
    register_target(app, reviews.TARGET)
