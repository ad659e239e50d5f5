"""robots.txt and the sitemap: an index of pages per section (listings, topics, profiles).

A page of a section holds the rows whose id falls in one range of SITEMAP_PAGE_SIZE ids
(page n: ids (n-1)*size+1 .. n*size), so it never holds more than the 50,000 URLs the
protocol allows, is read with one index range scan, and the index needs only max(id) and
one EXISTS probe per range: nothing is ever scanned whole or held in memory, whatever the
number of listings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote
from xml.sax.saxutils import escape

from flask import Response, abort, current_app, url_for
from sqlalchemy import exists, func, select

from app.core.time import utcnow
from app.extensions import db, limiter
from app.listings.search import on_sale_conditions
from app.models import Listing, Topic, User
from app.seo import bp
from app.seo.structured import absolute_url

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
CACHE_SECONDS = 3600
# Private or per-visitor pages search engines have no business in (robots.txt).
PRIVATE_PATHS = (
    "/admin/",
    "/auth/",
    "/chat/",
    "/notifications/",
    "/settings",
    "/favorites",
    "/report/",
    "/listings/new",
    "/listings/mine",
    "/listings/saved",
    "/listings/compare",
    "/listings/count",
    "/forum/search",
    "/forum/preview",
    "/forum/upload",
)


@dataclass(frozen=True)
class Section:
    """One kind of page in the sitemap: its id column, which rows are public, and how a row
    (id, key, last change) becomes a URL."""

    id_column: object
    columns: tuple
    public: Callable[[], list]
    location: Callable[[str, tuple], str]


def not_banned() -> list:
    return [(User.banned_until.is_(None)) | (User.banned_until <= utcnow())]


SECTIONS: dict[str, Section] = {
    "listings": Section(
        Listing.id,
        (Listing.id, Listing.updated_at),
        on_sale_conditions,
        lambda prefix, row: f"{prefix}{row[0]}",
    ),
    "topics": Section(
        Topic.id,
        (Topic.id, Topic.last_post_at),
        lambda: [Topic.deleted_at.is_(None)],
        lambda prefix, row: f"{prefix}{row[0]}",
    ),
    "profiles": Section(
        User.id,
        (User.username, User.last_seen_at),
        not_banned,
        lambda prefix, row: prefix + quote(row[0]),
    ),
}
PREFIXES = {
    "listings": lambda: url_for("listings.show", listing_id=0)[:-1],
    "topics": lambda: url_for("forum.topic", topic_id=0)[:-1],
    "profiles": lambda: url_for("profile.show", username="x")[:-1],
}


def page_size() -> int:
    return current_app.config.get("SITEMAP_PAGE_SIZE", 50_000)


def page_bounds(page: int) -> tuple[int, int]:
    """The id range (exclusive, inclusive] of a sitemap page (1-based)."""
    size = page_size()
    return (page - 1) * size, page * size


def section_pages(name: str) -> Iterator[int]:
    """The page numbers of a section that hold at least one public row."""
    section = SECTIONS[name]
    highest = db.session.scalar(select(func.max(section.id_column))) or 0
    for page in range(1, -(-highest // page_size()) + 1):
        low, high = page_bounds(page)
        in_range = [section.id_column > low, section.id_column <= high, *section.public()]
        if db.session.scalar(select(exists().where(*in_range))):
            yield page


def xml_response(body: str) -> Response:
    response = Response(body, mimetype="application/xml")
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    return response


def lastmod(moment: datetime | None) -> str:
    return f"<lastmod>{moment.date().isoformat()}</lastmod>" if moment else ""


@bp.route("/sitemap.xml")
@limiter.exempt
def sitemap_index():
    """The sitemap index: one entry per non-empty page of each section."""
    entries = [
        f"<sitemap><loc>{escape(absolute_url(url_for('seo.sitemap_page', section=name, page=page)))}</loc></sitemap>"
        for name in SECTIONS
        for page in section_pages(name)
    ]
    return xml_response(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n'
        + "\n".join(entries)
        + "\n</sitemapindex>\n"
    )


@bp.route("/sitemaps/<section>-<int:page>.xml")
@limiter.exempt
def sitemap_page(section: str, page: int):
    """One page of a section: the public rows of its id range, in id order (404 when the
    section is unknown or the range holds nothing public: an empty urlset is not valid)."""
    if section not in SECTIONS or page < 1:
        abort(404)
    spec = SECTIONS[section]
    low, high = page_bounds(page)
    query = (
        select(*spec.columns)
        .where(spec.id_column > low, spec.id_column <= high, *spec.public())
        .order_by(spec.id_column)
    )
    prefix = absolute_url(PREFIXES[section]())
    urls = [
        f"<url><loc>{escape(spec.location(prefix, row))}</loc>{lastmod(row[-1])}</url>"
        for row in db.session.execute(query.execution_options(yield_per=5000))
    ]
    if not urls:
        abort(404)
    return xml_response(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n' + "\n".join(urls) + "\n</urlset>\n"
    )


@bp.route("/robots.txt")
@limiter.exempt
def robots():
    """Crawl everything public; keep out of private and per-visitor pages; the sitemap's
    absolute address from SITE_URL."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in PRIVATE_PATHS), ""]
    lines.append(f"Sitemap: {absolute_url(url_for('seo.sitemap_index'))}")
    response = Response("\n".join(lines) + "\n", mimetype="text/plain")
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    return response
