"""Makes, models, generations and locations; JSON for dependent selects."""

from flask import Blueprint, Flask

bp = Blueprint("catalog", __name__, url_prefix="/catalog")

from app.catalog import routes  # noqa: E402,F401
from app.catalog.cli import catalog_cli  # noqa: E402
from app.catalog.loader import load_catalog_summary  # noqa: E402
from app.core.demo import add_demo_loader  # noqa: E402


def init_app(app: Flask) -> None:
    """Wire the catalogue in: its JSON endpoints, `flask catalog load`, and the catalogue as the
    first demo data of `flask seed` (the demo listings need makes and cities)."""
    app.register_blueprint(bp)
    app.cli.add_command(catalog_cli)
    add_demo_loader(app, load_catalog_summary)
