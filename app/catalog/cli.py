"""`flask catalog load`: load or refresh the shipped make/model catalogue and locations."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from app.catalog.loader import DATA_DIR, CatalogDataError, load_catalog, refresh_listings
from app.extensions import db

catalog_cli = AppGroup("catalog", help="The make/model catalogue and locations.")


@catalog_cli.command("load")
@click.option(
    "--data-dir",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help=f"Folder with makes.json and locations.json (default: {DATA_DIR}).",
)
def load_command(data_dir: str | None):
    """Upsert makes, models, generations, regions and cities from the shipped JSON.

    Safe to run again: rows are matched by slug, unchanged rows are left alone, nothing is
    deleted. Refuses malformed data without writing anything.
    """
    started = time.perf_counter()
    try:
        report = load_catalog(data_dir)
    except CatalogDataError as error:
        db.session.rollback()
        raise click.ClickException(f"catalogue data is invalid: {error}") from error
    refreshed = refresh_listings(report)
    db.session.commit()
    click.echo(f"{report.summary()} ({time.perf_counter() - started:.2f} s)")
    if refreshed:
        click.echo(f"search text refreshed for {refreshed} listings of the changed makes and models")
    extra = {name: c.extra for name, c in report.tables.items() if c.extra}
    if extra:
        kept = ", ".join(f"{n} {name}" for name, n in extra.items())
        click.echo(f"kept rows that are not in the data (listings may use them): {kept}")
