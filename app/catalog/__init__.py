"""Makes, models, generations and locations; JSON for dependent selects."""

from flask import Blueprint

from app.catalog.loader import load_catalog_summary
from app.cli import DEMO_LOADERS

bp = Blueprint("catalog", __name__, url_prefix="/catalog")

# `flask seed` loads the catalogue first: the demo listings need makes and cities.
if load_catalog_summary not in DEMO_LOADERS:
    DEMO_LOADERS.insert(0, load_catalog_summary)

from app.catalog import routes  # noqa: E402,F401
