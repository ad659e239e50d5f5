"""Seller reviews and the dealers directory: plain functions; the caller commits.

A review is about a real deal: 1–5 stars and a text about one of the seller's cars, from a
member who talked with the seller about that car in the chat — the car rode as a card on a
message of their conversation, and from that message on both of them wrote. One review per
author and car, never of oneself; the seller is notified ("review") and may answer once,
publicly (the author hears of it: "review_reply"). Reviews from before this rule have no car
and keep showing. A moderator may remove a review (the "review" moderation target): it then
leaves the profile and the ratings.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import distinct, func, select
from sqlalchemy.exc import IntegrityError

from app.core.moderation import ModerationTarget
from app.core.time import utcnow
from app.extensions import db
from app.listings.search import seller_ratings
from app.models import Conversation, DealerProfile, Listing, Message, Review, User
from app.models.listing import SEARCHABLE_STATUSES
from app.notifications.services import notify

MAX_TEXT = 2000


class ReviewRefused(ValueError):
    """str(error) says why (shown to the user)."""


# --- the deal: a conversation about the car in which both wrote -----------------------------


def conversation_id_of(a: int, b: int) -> int | None:
    low, high = sorted((a, b))
    return db.session.scalar(
        select(Conversation.id).where(Conversation.user_low_id == low, Conversation.user_high_id == high)
    )


def talked_about(conversation_id: int, listing_id: int) -> bool:
    """Both people wrote in the conversation from the first message carrying the car's card on:
    one query over that conversation's messages (its (conversation_id, seq) index)."""
    start = (
        select(func.min(Message.seq))
        .where(Message.conversation_id == conversation_id, Message.listing_id == listing_id)
        .scalar_subquery()
    )
    writers = select(func.count(distinct(Message.sender_id))).where(
        Message.conversation_id == conversation_id, Message.seq >= start
    )
    return db.session.scalar(writers) == 2


def reviewable_listings(author: User, seller: User) -> list[Listing]:
    """The seller's cars `author` may review now: talked about in their chat, published at
    some point (not a draft), not reviewed by them yet. Newest conversation topics first."""
    if author.id == seller.id:
        return []
    conversation_id = conversation_id_of(author.id, seller.id)
    if conversation_id is None:
        return []
    mentioned = select(distinct(Message.listing_id)).where(
        Message.conversation_id == conversation_id, Message.listing_id.is_not(None)
    )
    reviewed = select(Review.listing_id).where(Review.author_id == author.id, Review.listing_id.is_not(None))
    candidates = db.session.scalars(
        select(Listing)
        .where(
            Listing.id.in_(mentioned),
            Listing.seller_id == seller.id,
            Listing.status != "draft",
            Listing.id.not_in(reviewed),
        )
        .order_by(Listing.id.desc())
    )
    return [listing for listing in candidates if talked_about(conversation_id, listing.id)]


# --- writing, answering, deleting -----------------------------------------------------------


def write_review(author: User, listing: Listing, rating: int, text: str) -> Review:
    """Store `author`'s review of the car's seller; refuses (ReviewRefused) a review of
    oneself, a bad rating, a car they did not talk about with the seller and a second review
    of the same car."""
    seller = listing.seller
    if author.id == seller.id:
        raise ReviewRefused(_("You cannot review yourself."))
    if rating not in range(1, 6):
        raise ReviewRefused(_("Choose from 1 to 5 stars."))
    if listing.id not in {car.id for car in reviewable_listings(author, seller)}:
        if db.session.scalar(select(Review.id).where(Review.author_id == author.id, Review.listing_id == listing.id)):
            raise ReviewRefused(_("You have already reviewed this car."))
        raise ReviewRefused(no_deal_message())
    review = Review(author_id=author.id, seller_id=seller.id, listing_id=listing.id, rating=rating)
    review.text = text[:MAX_TEXT]
    try:
        with db.session.begin_nested():  # a twin request that got there first
            db.session.add(review)
    except IntegrityError:
        raise ReviewRefused(_("You have already reviewed this car.")) from None
    notify(
        seller.id,
        "review",
        {
            "actor": author.name,
            "title": listing.title,
            "url": review_url(review),
            "text": f"{'★' * rating} {text[:200]}",
            "rating": rating,
        },
    )
    return review


def no_deal_message() -> str:
    """Why there is no review form (the profile says it too)."""
    return _(
        "You can review a seller after a chat with them about one of their cars in which you both wrote. "
        "Write to the seller from the car's page."
    )


def reply_to(seller: User, review: Review, text: str) -> None:
    """The seller's one public answer; refuses anyone else and a second answer."""
    if review.seller_id != seller.id:
        raise ReviewRefused(_("Only the seller can answer this review."))
    if review.reply is not None:
        raise ReviewRefused(_("You have already answered this review."))
    review.reply, review.replied_at = text[:MAX_TEXT], utcnow()
    db.session.flush()
    notify(
        review.author_id,
        "review_reply",
        {
            "actor": seller.name,
            "title": review.listing.title if review.listing else seller.name,
            "url": review_url(review),
            "text": text[:200],
        },
    )


def review_url(review: Review) -> str:
    return url_for("profile.show", username=review.seller.username, _anchor=f"review-{review.id}")


def seller_reviews(seller: User, limit: int = 50) -> list[Review]:
    query = (
        select(Review)
        .where(Review.seller_id == seller.id, Review.removed_at.is_(None))
        .order_by(Review.created_at.desc(), Review.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def seller_rating(seller: User) -> tuple[float, int] | None:
    return seller_ratings({seller.id}).get(seller.id)


# --- moderation: reviews can be reported, removed and restored ------------------------------


def remove_review(review: Review) -> None:
    review.removed_at = utcnow()


def restore_review(review: Review) -> None:
    review.removed_at = None


def review_title(review: Review) -> str:
    about = f" ({review.listing.title})" if review.listing else ""
    return f"{'★' * review.rating} @{review.author.username} → @{review.seller.username}{about}"


def review_excerpt(review: Review) -> str:
    reply = f"\n↳ @{review.seller.username}: {review.reply}" if review.reply else ""
    return (review.text + reply)[:300]


TARGET = ModerationTarget(
    kind="review",
    load=lambda review_id: db.session.get(Review, review_id),
    title=review_title,
    url=review_url,
    excerpt=review_excerpt,
    author_id=lambda review: review.author_id,
    remove=remove_review,
    restore=restore_review,
    is_removed=lambda review: review.removed_at is not None,
)


def may_report(review: Review) -> bool:
    """A signed-in member other than the author sees "Report" under a review."""
    return current_user.is_authenticated and current_user.id != review.author_id


# --- the dealers directory ------------------------------------------------------------------


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
