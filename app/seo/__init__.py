"""Search engines and sharing: robots.txt, the paged sitemap, canonical links, OpenGraph and
Twitter cards, JSON-LD and the Share button's strings.

Every absolute URL starts with SITE_URL, never with the Host header a client sent.
"""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from app.i18n.js import add_js_strings

bp = Blueprint("seo", __name__)

from app.seo import routes, structured  # noqa: E402,F401

add_js_strings(
    {
        "link_copied": _l("Link copied"),
        "copy_link_manually": _l("Copy this link: %(url)s"),
    }
)


def init_app(app: Flask) -> None:
    """/robots.txt, /sitemap.xml and its pages, and the template helpers pages use for their
    canonical link, social cards and structured data."""
    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        canonical_url=structured.canonical_url,
        absolute_url=structured.absolute_url,
        og_locale=structured.og_locale,
        listing_json_ld=structured.listing_json_ld,
        topic_json_ld=structured.topic_json_ld,
    )
