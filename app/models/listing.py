"""Marketplace: listings, their photos, favourites, price history, saved searches, seller
reviews and the once-a-day view log.

A few columns are copies kept for speed at a million rows: `title` and `search_text`
(make, model, year and description; on PostgreSQL the migration adds a stored
`search_vector` tsvector generated from it, with a GIN index), `region_id` (from the city),
`is_dealer` (from the seller's role), `cover` and `photo_count` (from the photos) and
`price_kzt` (the price converted at fixed rates, so price filters and sorts work across
currencies). Services keep them in step; search never joins to filter or sort.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import utcnow
from app.extensions import db
from app.models.catalog import Brand, CarModel, City, Generation
from app.models.user import User

# A draft is the seller's alone until it has a photo and they publish it. An active or
# reserved listing not renewed within LISTING_LIFETIME_DAYS becomes "expired": out of
# search, its page says it is no longer on sale, its owner can renew it.
STATUSES = ("draft", "active", "reserved", "sold", "archived", "expired", "removed")
PUBLIC_STATUSES = ("active", "reserved", "sold", "expired")
# What search shows: cars one can still buy (a reserved car may fall through).
SEARCHABLE_STATUSES = ("active", "reserved")
MAX_PHOTOS = 20


class PromotionMarks:
    """`is_top` and `is_highlighted` from `top_until` and `highlight_until`: a Listing's, and
    the Top slot's card copies' (app/listings/top.py)."""

    __slots__ = ()
    top_until: datetime | None
    highlight_until: datetime | None

    @property
    def is_top(self) -> bool:
        """Whether a paid Top slot runs now (search shows a "Top" mark)."""
        return self.top_until is not None and self.top_until > utcnow()

    @property
    def is_highlighted(self) -> bool:
        """Whether a paid highlight runs now (a coloured card)."""
        return self.highlight_until is not None and self.highlight_until > utcnow()


class Listing(PromotionMarks, db.Model):
    __tablename__ = "listings"
    __table_args__ = (
        # Filter-and-sort paths of the search page (keyset: sort column, then id).
        Index("ix_listings_bumped", "bumped_at", "id"),
        Index("ix_listings_price", "price_kzt", "id"),
        Index("ix_listings_year", "year", "id"),
        Index("ix_listings_mileage", "mileage_km", "id"),
        Index("ix_listings_brand_bumped", "brand_id", "bumped_at", "id"),
        Index("ix_listings_brand_price", "brand_id", "price_kzt", "id"),
        Index("ix_listings_model_bumped", "brand_id", "model_id", "bumped_at", "id"),
        Index("ix_listings_model_price", "brand_id", "model_id", "price_kzt", "id"),
        Index("ix_listings_region_bumped", "region_id", "bumped_at", "id"),
        Index("ix_listings_city_bumped", "city_id", "bumped_at", "id"),
        Index("ix_listings_seller_bumped", "seller_id", "bumped_at", "id"),
        # The Top slot reads only the few listings with a Top (a partial index: it stays
        # small at a million rows); the lifecycle job finds what is due by expiry date.
        Index(
            "ix_listings_top",
            "top_until",
            "id",
            postgresql_where=text("top_until IS NOT NULL"),
            sqlite_where=text("top_until IS NOT NULL"),
        ),
        Index("ix_listings_expires", "expires_at"),
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint("mileage_km >= 0", name="mileage_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"))
    model_id: Mapped[int] = mapped_column(ForeignKey("car_models.id"))
    generation_id: Mapped[int | None] = mapped_column(ForeignKey("generations.id", ondelete="SET NULL"))
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id"))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))

    title: Mapped[str] = mapped_column(String(140))
    year: Mapped[int] = mapped_column(SmallInteger)
    mileage_km: Mapped[int] = mapped_column(Integer)
    price: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="KZT")
    price_kzt: Mapped[int] = mapped_column(BigInteger)

    body: Mapped[str] = mapped_column(String(16), default="")
    fuel: Mapped[str] = mapped_column(String(16), default="")
    transmission: Mapped[str] = mapped_column(String(16), default="")
    drive: Mapped[str] = mapped_column(String(16), default="")
    colour: Mapped[str] = mapped_column(String(16), default="")
    steering: Mapped[str] = mapped_column(String(8), default="left")
    condition: Mapped[str] = mapped_column(String(16), default="used")
    engine_volume_l: Mapped[float | None]
    power_hp: Mapped[int | None] = mapped_column(SmallInteger)
    vin: Mapped[str | None] = mapped_column(String(17))
    description: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")

    status: Mapped[str] = mapped_column(String(16), default="active")
    is_dealer: Mapped[bool] = mapped_column(default=False)
    cover: Mapped[str | None] = mapped_column(String(64))
    photo_count: Mapped[int] = mapped_column(SmallInteger, default=0)
    views: Mapped[int] = mapped_column(Integer, default=0)
    # Members who pressed "Call" and were shown the phone (each counted once).
    phone_reveals: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    favorites_count: Mapped[int] = mapped_column(Integer, default=0)
    # "good", "fair" or "high": a copy of deal_ratings.band, written by the rating run
    # (app/listings/deals.py), so the "good prices only" filter reads this table alone.
    deal_band: Mapped[str | None] = mapped_column(String(4))

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Raised by each save of the edit form (app/edits.py): a stale tab is told, not obeyed.
    edit_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    bumped_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Promotions (app/listings/promotions.py): the last free raise, and until when the
    # listing has a Top slot and a highlighted card (copies of listing_promotions, for search).
    free_raised_at: Mapped[datetime | None]
    top_until: Mapped[datetime | None]
    highlight_until: Mapped[datetime | None]
    # Lifecycle (app/listings/lifecycle.py): when it leaves search unless renewed, and when
    # its owner was told so (cleared by a renewal).
    expires_at: Mapped[datetime | None]
    expiry_noticed_at: Mapped[datetime | None]

    seller: Mapped[User] = relationship()
    brand: Mapped[Brand] = relationship()
    model: Mapped[CarModel] = relationship()
    generation: Mapped[Generation | None] = relationship()
    city: Mapped[City] = relationship()
    photos: Mapped[list[ListingPhoto]] = relationship(
        back_populates="listing", order_by="ListingPhoto.position", cascade="all, delete-orphan"
    )
    price_changes: Mapped[list[PriceChange]] = relationship(
        order_by="PriceChange.changed_at", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Listing {self.id} {self.title}>"

    @property
    def is_public(self) -> bool:
        """Active, reserved and sold listings can be seen; archived and removed ones cannot."""
        return self.status in PUBLIC_STATUSES

    @property
    def has_photos(self) -> bool:
        return self.photo_count > 0


class ListingPhoto(db.Model):
    __tablename__ = "listing_photos"
    __table_args__ = (Index("ix_listing_photos_listing_position", "listing_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))  # media.save_image name, kind "listings"
    position: Mapped[int] = mapped_column(SmallInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    listing: Mapped[Listing] = relationship(back_populates="photos")


class Favorite(db.Model):
    __tablename__ = "favorites"
    __table_args__ = (Index("ix_favorites_listing", "listing_id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    listing: Mapped[Listing] = relationship()


class PriceChange(db.Model):
    __tablename__ = "price_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    old_price: Mapped[int] = mapped_column(BigInteger)
    new_price: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class SavedSearch(db.Model):
    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    query: Mapped[str] = mapped_column(String(2000))  # the search page's query string
    # The make filter, copied out so a new listing is checked only against searches that
    # name its make or no make at all.
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_notified_at: Mapped[datetime | None]


class Review(db.Model):
    """A buyer's word on a seller about one of the seller's cars, written after a chat about
    it in which both wrote (app/profile/reviews.py checks): one per author and listing,
    never of oneself. The seller may answer once (`reply`), publicly. Reviews from before
    that rule have no listing and keep showing. A moderator's removal hides it everywhere."""

    __tablename__ = "reviews"
    __table_args__ = (
        # NULL listings (the older reviews) never collide.
        UniqueConstraint("author_id", "listing_id", name="uq_reviews_author_listing"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        CheckConstraint("author_id <> seller_id", name="not_self"),
        Index("ix_reviews_seller_created", "seller_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    seller_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listings.id", ondelete="SET NULL"))
    rating: Mapped[int] = mapped_column(SmallInteger)
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reply: Mapped[str | None] = mapped_column(Text)  # the seller's one public answer
    replied_at: Mapped[datetime | None]
    removed_at: Mapped[datetime | None]  # hidden by a moderator

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    seller: Mapped[User] = relationship(foreign_keys=[seller_id])
    listing: Mapped[Listing | None] = relationship()


class PhoneReveal(db.Model):
    """A member was shown the seller's phone on this listing: one row per member and
    listing, so the seller's counter counts people, not taps."""

    __tablename__ = "phone_reveals"

    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ListingView(db.Model):
    """One row per listing, visitor and day: the counter counts a visitor once a day.
    `visitor` is "u<id>" for members, or a hash of address and browser for guests."""

    __tablename__ = "listing_views"
    __table_args__ = (Index("ix_listing_views_day", "day"),)  # the periodic prune of old days

    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True)
    visitor: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)


class ListingPromotion(db.Model):
    """One paid service bought for a listing: a Top slot, a highlight or a raise. A Top or
    highlight bought while one runs starts where it ends; a refund cancels it and moves the
    later ones of its kind earlier. `payment_ref` names the payments order line that paid for
    it (unique: a repeated fulfilment activates nothing twice)."""

    __tablename__ = "listing_promotions"
    __table_args__ = (
        Index("ix_listing_promotions_listing_kind", "listing_id", "kind", "ends_at"),
        UniqueConstraint("payment_ref", name="uq_listing_promotions_payment_ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # top, highlight, raise
    days: Mapped[int] = mapped_column(SmallInteger, default=0)
    amount_kzt: Mapped[int] = mapped_column(Integer, default=0)
    payment_ref: Mapped[str | None] = mapped_column(String(64))
    starts_at: Mapped[datetime] = mapped_column(default=utcnow)
    ends_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]


class DealRating(db.Model):
    """How a listing's price compares with the similar cars on sale (same model and
    generation, year ±1, same mileage band): written by the scheduled rating run
    (app/listings/deals.py), read by cards, the listing page and the comparison."""

    __tablename__ = "deal_ratings"

    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True)
    band: Mapped[str] = mapped_column(String(4))  # good / fair / high
    median_kzt: Mapped[int] = mapped_column(BigInteger)  # of the group: this car and its comparables
    compared: Mapped[int] = mapped_column(Integer)  # how many other cars it was compared with
    rated_at: Mapped[datetime] = mapped_column(default=utcnow)
