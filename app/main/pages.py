"""Static pages (about, rules, contacts, privacy) at /p/<slug>.

Admins write them in markdown at /admin/pages, one version per language; the sanitized HTML
stored with each page is shown as is. A visitor gets the page in their language, else in the
site's default language, else in English, else in whatever language it exists. A page nobody
has written yet is a 404.
"""

from __future__ import annotations

import re

from flask import abort, current_app, render_template
from flask_babel import get_locale
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


# What a page address can be; anything else (a NUL, 5,000 characters) is simply not a page.
SLUG = re.compile(r"[a-z0-9-]{1,64}")


def page_for(slug: str, locale: str) -> Page | None:
    """The page `slug` in `locale`, falling back to the default language, English, then any."""
    if not SLUG.fullmatch(slug):
        return None
    versions = {page.locale: page for page in db.session.scalars(select(Page).where(Page.slug == slug))}
    default = current_app.config.get("DEFAULT_LOCALE") or current_app.config.get("BABEL_DEFAULT_LOCALE", "en")
    for language in (locale, default, "en"):
        if language in versions:
            return versions[language]
    return next(iter(versions.values()), None)


@bp.route("/p/<slug>")
def page(slug: str):
    """Show a static page in the visitor's language; unknown or unwritten pages are 404."""
    page = page_for(slug, str(get_locale()))
    if page is None:
        abort(404)
    return render_template("pages/show.html", page=page)
