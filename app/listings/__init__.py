"""Listings: create and edit, photos, search, favorites, saved searches.

Importing the package also registers the listing moderation target, the `flask listings
generate` command and the demo-listings loader for `flask seed`.
"""

from flask import Blueprint

from app.cli import DEMO_LOADERS

bp = Blueprint("listings", __name__, url_prefix="/listings", cli_group="listings")

from app.listings import cli, moderation, routes  # noqa: E402,F401
from app.listings.demo import load_demo_listings  # noqa: E402
from app.listings.display import city_name, status_label  # noqa: E402

bp.add_app_template_global(city_name, "city_name")
bp.add_app_template_global(status_label, "status_label")

# Right after the catalogue (which the demo cars need) and before the chat and forum demos,
# which may show listing cards.
if load_demo_listings not in DEMO_LOADERS:
    DEMO_LOADERS.insert(1 if DEMO_LOADERS else 0, load_demo_listings)
