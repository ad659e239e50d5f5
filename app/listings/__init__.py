"""Listings: create and edit, photos, search, favorites, saved searches.

Importing the package also registers the listing moderation target, the `price` template
filter, the `flask listings generate` command and the demo-listings loader for `flask seed`.
"""

from flask import Blueprint

bp = Blueprint("listings", __name__, url_prefix="/listings", cli_group="listings")

from app.listings import cli, moderation, routes  # noqa: E402,F401
from app.listings.services import format_price  # noqa: E402

bp.app_template_filter("price")(format_price)
