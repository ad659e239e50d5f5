"""Home page, static pages, health check and development upload serving."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from app.main import pages, routes  # noqa: E402,F401
