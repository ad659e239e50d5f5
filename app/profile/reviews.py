"""Seller reviews and the dealers directory: plain functions; the caller commits.

A review is 1–5 stars and a text, one per author and seller (a second one replaces the
first), never of oneself. The seller is notified ("review").
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy import func, select

from app.extensions import db
from app.listings.search import seller_ratings
from app.models import DealerProfile, Listing, Review, User
from app.models.listing import SEARCHABLE_STATUSES
from app.notifications.services import notify


class ReviewRefused(ValueError):
    """str(error) says why (shown to the user)."""


def review_of(author: User, seller: User) -> Review | None:
    return db.session.scalar(select(Review).where(Review.author_id == author.id, Review.seller_id == seller.id))


def write_review(author: User, seller: User, rating: int, text: str) -> Review:
    """Create or replace `author`'s review of `seller`; refuses self-reviews and bad ratings."""
    if author.id == seller.id:
        raise ReviewRefused("self")
    if rating not in range(1, 6):
        raise ReviewRefused("rating")
    review = review_of(author, seller)
    if review is None:
        review = Review(author_id=author.id, seller_id=seller.id)
        db.session.add(review)
    review.rating, review.text = rating, text[:2000]
    db.session.flush()
    notify(
        seller.id,
        "review",
        {
            "title": author.name,
            "url": url_for("profile.show", username=seller.username, _anchor="reviews"),
            "text": f"{'★' * rating} {text[:200]}",
            "rating": rating,
        },
    )
    return review


def seller_reviews(seller: User, limit: int = 50) -> list[Review]:
    query = select(Review).where(Review.seller_id == seller.id).order_by(Review.created_at.desc()).limit(limit)
    return list(db.session.scalars(query))


def seller_rating(seller: User) -> tuple[float, int] | None:
    avg, count = db.session.execute(
        select(func.avg(Review.rating), func.count()).where(Review.seller_id == seller.id)
    ).one()
    return (round(float(avg), 1), count) if count else None


def active_listing_count(seller: User) -> int:
    query = select(func.count()).where(Listing.seller_id == seller.id, Listing.status.in_(SEARCHABLE_STATUSES))
    return db.session.scalar(query) or 0


def dealers() -> list[tuple[User, int, tuple[float, int] | None]]:
    """Every dealer with the number of cars on sale and the rating; verified first."""
    counts = (
        select(Listing.seller_id, func.count().label("n"))
        .where(Listing.status.in_(SEARCHABLE_STATUSES), Listing.is_dealer.is_(True))
        .group_by(Listing.seller_id)
        .subquery()
    )
    query = (
        select(User, func.coalesce(counts.c.n, 0))
        .join(DealerProfile, DealerProfile.user_id == User.id)
        .outerjoin(counts, counts.c.seller_id == User.id)
        .where(User.role == "dealer")
        .order_by(DealerProfile.verified_at.is_(None), DealerProfile.company_name, User.username)
    )
    rows = db.session.execute(query).all()
    ratings = seller_ratings({user.id for user, _n in rows})
    return [(user, n, ratings.get(user.id)) for user, n in rows]
