"""Listings: create and edit, photos, search, favorites, saved searches."""

from flask import Blueprint, Flask
from flask_login import login_required

bp = Blueprint("listings", __name__, url_prefix="/listings", cli_group="listings")

from app.catalog.loader import on_catalogue_change  # noqa: E402
from app.core.demo import add_demo_loader  # noqa: E402
from app.core.moderation import register_target  # noqa: E402
from app.listings import cards, cli, compare, deals, freshness, moderation, owner_routes, paid, routes  # noqa: E402,F401
from app.listings.copies import refresh_search_texts  # noqa: E402
from app.listings.demo import load_demo_listings  # noqa: E402
from app.listings.display import city_name, status_label  # noqa: E402


def catalogue_changed(brand_ids: set[int], model_ids: set[int]) -> int:
    """After a catalogue load: visitors' search pages list the makes in their filter form, and
    renamed makes and models change the listings' search text (how many were rewritten)."""
    freshness.search_changed()
    return refresh_search_texts(brand_ids, model_ids)


def init_app(app: Flask) -> None:
    """Wire the marketplace in: its pages (and /favorites at the site root), `flask listings
    generate`, the card cache, retiring search's cached values on changes, the `city_name`,
    `status_label` and `compared_ids` template globals, listings as a moderation target,
    the demo cars, fresh search text when the catalogue renames a make or model, and the
    paid promotions as payments products."""
    app.register_blueprint(bp)
    app.add_url_rule("/favorites", "listings.favorites", login_required(routes.favorites))
    app.add_template_global(city_name, "city_name")
    cards.init_app(app)
    freshness.install()
    app.add_template_global(status_label, "status_label")
    app.add_template_global(compare.compared_ids, "compared_ids")
    app.add_template_global(deals.LABELS, "DEAL_LABELS")
    register_target(app, moderation.TARGET)
    add_demo_loader(app, load_demo_listings)
    on_catalogue_change(app, catalogue_changed)
    paid.register_products(app)
