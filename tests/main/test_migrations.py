"""Migrations: they build the schema the models describe, and they go both ways."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import create_app
from app.extensions import db
from tests.conftest import Config

# PostgreSQL-only indexes that migrations create under a dialect check and models cannot
# describe portably; alembic reports them as "removed". Only these names are ignored.
POSTGRESQL_ONLY_INDEXES = {
    "ix_listings_search_fts",  # 0004: GIN over listings.search_vector (below)
    "ix_topics_title_fts",  # 0005: GIN over to_tsvector('simple', topics.title)
    "ix_posts_body_fts",  # 0005: GIN over to_tsvector('simple', posts.body)
}
# PostgreSQL-only columns, added the same way; alembic reports them as "removed".
POSTGRESQL_ONLY_COLUMNS = {
    ("listings", "search_vector"),  # 0004: tsvector GENERATED ALWAYS AS (to_tsvector(search_text)) STORED
}


def is_postgresql_only_index(change) -> bool:
    if change[0] == "remove_column":
        return (change[2], change[3].name) in POSTGRESQL_ONLY_COLUMNS
    return change[0] == "remove_index" and change[1].name in POSTGRESQL_ONLY_INDEXES


def test_models_match_the_migrations(app):
    """A model change without its migration shows up here as a diff."""
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    diff = [change for change in diff if not is_postgresql_only_index(change)]
    assert diff == []


def test_upgrade_downgrade_upgrade_on_an_empty_database(empty_database_url):
    class FreshConfig(Config):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(FreshConfig)
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"users", "dealer_profiles", "alembic_version"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert set(inspect(db.engine).get_table_names()) == tables
        db.engine.dispose()
