"""Canonical links, social-card values and schema.org JSON-LD for the page templates.

Templates render the dictionaries with `|tojson` inside `<script type="application/ld+json">`
(a data block: the CSP's `script-src 'self'` does not run it, and `tojson` escapes `<`, `>`
and `&`, so no text of a listing can close the script element).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import current_app, request, url_for
from sqlalchemy import select

from app.core import cache
from app.extensions import db
from app.forum import services as forum_services
from app.i18n.locale import current_language
from app.media import image_url
from app.models import Listing, Post, Topic

# Query arguments that choose what a page shows; everything else (sort, keyset cursors,
# tracking tags) leaves the canonical URL, so one page has one address for search engines.
CANONICAL_ARGS = ("brand", "model", "generation", "page", "lang")
OG_LOCALES = {"ru": "ru_RU", "kk": "kk_KZ", "en": "en_US"}
# Listing status -> schema.org availability of its offer.
AVAILABILITY = {
    "active": "https://schema.org/InStock",
    "reserved": "https://schema.org/LimitedAvailability",
    "sold": "https://schema.org/SoldOut",
}
TEXT_LIMIT = 500


def absolute_url(path: str) -> str:
    """SITE_URL + a site-relative path (url_for output)."""
    return current_app.config["SITE_URL"] + path


def canonical_url() -> str:
    """This page's one address: SITE_URL, the path and only the arguments that choose content,
    in a fixed order."""
    kept = [(name, request.args[name]) for name in CANONICAL_ARGS if request.args.get(name)]
    return absolute_url(request.path + ("?" + urlencode(kept) if kept else ""))


def og_locale() -> str:
    return OG_LOCALES.get(current_language(), "ru_RU")


def cover_url(listing: Listing) -> str | None:
    return absolute_url(image_url("listings", listing.cover, "gallery")) if listing.cover else None


def listing_json_ld(listing: Listing, photos: list | None = None) -> dict[str, Any]:
    """A `Vehicle` with its `Offer` (price, currency, availability, seller)."""
    url = absolute_url(url_for("listings.show", listing_id=listing.id))
    images = [absolute_url(image_url("listings", photo.name, "gallery")) for photo in photos or []]
    seller = listing.seller
    vehicle: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Vehicle",
        "name": listing.title,
        "url": url,
        "brand": {"@type": "Brand", "name": listing.brand.name},
        "model": listing.model.name,
        "vehicleModelDate": str(listing.year),
        "mileageFromOdometer": {"@type": "QuantitativeValue", "value": listing.mileage_km, "unitCode": "KMT"},
        "offers": {
            "@type": "Offer",
            "price": listing.price,
            "priceCurrency": listing.currency,
            "availability": AVAILABILITY.get(listing.status, "https://schema.org/Discontinued"),
            "url": url,
            "seller": {"@type": "Organization" if seller.is_dealer else "Person", "name": seller.name},
        },
    }
    if images or listing.cover:
        vehicle["image"] = images or [cover_url(listing)]
    if listing.description:
        vehicle["description"] = listing.description[:TEXT_LIMIT]
    return vehicle


def topic_json_ld(topic: Topic) -> dict[str, Any]:
    """A `DiscussionForumPosting`: the title, the opening post's text, author, dates, replies."""
    author_url = absolute_url(url_for("profile.show", username=topic.author.username))
    posting: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DiscussionForumPosting",
        "headline": topic.title,
        "url": absolute_url(url_for("forum.topic", topic_id=topic.id)),
        "author": {"@type": "Person", "name": topic.author.name, "url": author_url},
        "datePublished": topic.created_at.isoformat() + "Z",
        "dateModified": topic.last_post_at.isoformat() + "Z",
        "interactionStatistic": {
            "@type": "InteractionCounter",
            "interactionType": "https://schema.org/CommentAction",
            "userInteractionCount": topic.reply_count,
        },
    }
    if text := opening_text(topic.id):
        posting["text"] = text
    return posting


def opening_text(topic_id: int) -> str:
    """The opening post's text (empty once deleted), from the forum's shared cache: a topic
    page otherwise paid a query on every view for it (any forum change retires the entry)."""

    def load() -> str:
        first = db.session.scalar(select(Post).where(Post.topic_id == topic_id).order_by(Post.id).limit(1))
        return "" if first is None or first.is_deleted else first.body[:TEXT_LIMIT]

    timeout = current_app.config["CACHE_FORUM_SECONDS"]
    return cache.remember(forum_services.CACHE_NAMESPACE, ("opening-text", topic_id), load, timeout)
