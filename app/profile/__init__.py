"""Public profiles, settings, avatars and dealer details."""

from flask import Blueprint, Flask

bp = Blueprint("profile", __name__)

from app.profile import market, routes  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Wire profiles in: their pages and `seller_market(user)` for the profile template."""
    app.register_blueprint(bp)
    app.add_template_global(market.seller_market, "seller_market")
