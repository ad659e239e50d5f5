"""Static pages (about, rules, contacts, privacy) at /p/<slug>.

Admins write them in markdown at /admin/pages; the sanitized HTML stored with each page is
shown as is. A page nobody has written yet is a 404.
"""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.main import bp
from app.models import Page

# The pages the footer links to, in footer order.
STATIC_PAGES = {
    "about": _l("About Garage"),
    "rules": _l("Rules"),
    "contacts": _l("Contacts"),
    "privacy": _l("Privacy"),
}


@bp.route("/p/<slug>")
def page(slug: str):
    """Show a static page; unknown or unwritten pages are 404."""
    page = db.session.scalar(select(Page).where(Page.slug == slug))
    if page is None:
        abort(404)
    return render_template("pages/show.html", page=page)
