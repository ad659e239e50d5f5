"""Container start-up before gunicorn: wait for the database, migrate, load the catalogue.

Run by entrypoint.sh. Steps:

1. Wait for the database with bounded retries (DB_WAIT_SECONDS, default 60) and a clear
   message; give up with exit status 1 instead of starting a server that cannot work.
2. `flask db upgrade`, under a PostgreSQL advisory lock so several web containers that
   start together migrate one at a time (the others then find nothing to do).
3. Still under that lock, when the catalogue is empty, run the catalogue loader (`flask
   catalog load`, when the catalogue package provides it): the second container then finds
   it loaded. Demo users are never created here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import OperationalError

MIGRATION_LOCK = 7_201_009  # an arbitrary key, the same in every Garage container


def log(message: str) -> None:
    print(f"prestart: {message}", flush=True)


def wait_for_database(url: str, seconds: int) -> None:
    engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args(url))
    deadline = time.monotonic() + seconds
    attempt = 0
    while True:
        attempt += 1
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            log(f"database reachable (attempt {attempt})")
            return
        except OperationalError as error:
            reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            if time.monotonic() >= deadline:
                log(f"ERROR: database not reachable after {seconds}s ({attempt} attempts): {reason}")
                sys.exit(1)
            log(f"waiting for the database (attempt {attempt}): {reason}")
            time.sleep(2)
        finally:
            engine.dispose()


def connect_args(url: str) -> dict:
    return {"connect_timeout": 3} if url.startswith("postgresql") else {}


def migrate_and_load() -> None:
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db

    app = create_app()
    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
        with db.engine.connect() as lock:
            if postgres:
                log("taking the migration lock")
                lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            try:
                log("flask db upgrade")
                upgrade()
                load_catalogue(app, db)  # under the lock too: two empty-catalogue loads would collide
            finally:
                if postgres:
                    lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})


def load_catalogue(app, db) -> None:
    if "brands" not in inspect(db.engine).get_table_names():
        return
    brands = db.session.scalar(text("SELECT count(*) FROM brands"))
    db.session.remove()
    if brands:
        log(f"catalogue present ({brands} brands)")
        return
    catalog = app.cli.commands.get("catalog")
    if catalog is None or "load" not in getattr(catalog, "commands", {}):
        log("catalogue is empty and no `flask catalog load` command exists yet; skipped")
        return
    log("catalogue is empty: flask catalog load")
    result = subprocess.run(["flask", "catalog", "load"], check=False)  # noqa: S607 (the image's flask)
    if result.returncode != 0:
        log(f"ERROR: catalogue load failed (exit {result.returncode})")
        sys.exit(1)


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        log("ERROR: DATABASE_URL is not set")
        sys.exit(1)
    wait_for_database(url, int(os.environ.get("DB_WAIT_SECONDS", "60")))
    if os.environ.get("MIGRATE_ON_START", "1") != "0":
        migrate_and_load()


if __name__ == "__main__":
    main()
