"""All models, imported here so Alembic and `db.create_all` see every table."""

from app.models.user import DealerProfile, User  # noqa: F401
