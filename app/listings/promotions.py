"""Raising a listing and its paid promotions.

- A free raise: an active listing goes back to the top of "newest" (bumped now) once per
  LISTING_FREE_RAISE_HOURS, counted from its publication or last free raise. The check and
  the write are one conditional UPDATE, so two quick presses raise it once.
- Paid services, bought through payments (`register_products`: the verified paid callback
  fulfils, a refund cancels): a Top slot for 1, 3 or 7 days (search shows it above the
  results, see top.py), a highlighted card for 7 days, and raises beyond the free
  one. Each purchase is a `ListingPromotion` row; `listings.top_until` and
  `listings.highlight_until` are copies for search and cards. Prices are in whole tenge
  (PROMOTION_PRICES); payments counts tiyn.

Plain functions that add and flush; the caller (a route, or payments' fulfilment) commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.core.time import utcnow
from app.extensions import db
from app.listings.freshness import search_changed
from app.models import Listing, ListingPromotion

# Product code (payments' order line) -> (what it buys, for how many days).
PRODUCTS: dict[str, tuple[str, int]] = {
    "listing_top_1": ("top", 1),
    "listing_top_3": ("top", 3),
    "listing_top_7": ("top", 7),
    "listing_highlight_7": ("highlight", 7),
    "listing_raise": ("raise", 0),
}
# The listing column that copies how long each lasting kind runs.
UNTIL = {"top": "top_until", "highlight": "highlight_until"}


def price_kzt(code: str) -> int:
    """What a product costs, in whole tenge (PROMOTION_PRICES, keyed without "listing_")."""
    return current_app.config["PROMOTION_PRICES"][code.removeprefix("listing_")]


def price_list() -> list[tuple[str, str, int, int]]:
    """(product code, kind, days, price in tenge) of every product, for the owner's panel."""
    return [(code, kind, days, price_kzt(code)) for code, (kind, days) in PRODUCTS.items()]


def raise_interval() -> timedelta:
    return timedelta(hours=current_app.config["LISTING_FREE_RAISE_HOURS"])


def next_free_raise(listing: Listing) -> datetime:
    """When the owner may raise the listing for free again (in the past: now)."""
    return (listing.free_raised_at or listing.created_at) + raise_interval()


def can_raise(listing: Listing) -> bool:
    """Only a listing on sale is raised (reserved, sold or expired ones are not)."""
    return listing.status == "active"


def free_raise(listing: Listing) -> bool:
    """Raise the listing to the top of "newest" for free; False when it is not active or its
    free raise is not due yet. One conditional UPDATE: concurrent presses raise it once."""
    now = utcnow()
    due = func.coalesce(Listing.free_raised_at, Listing.created_at) <= now - raise_interval()
    result = db.session.execute(
        update(Listing)
        .where(Listing.id == listing.id, Listing.status == "active", due)
        .values(bumped_at=now, free_raised_at=now)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], result).rowcount != 1:  # an UPDATE's result is a CursorResult
        return False
    set_committed_value(listing, "bumped_at", now)  # what the UPDATE wrote: no second UPDATE
    set_committed_value(listing, "free_raised_at", now)
    search_changed()  # an UPDATE past the ORM: its flush watch does not see it
    return True


def fulfil(listing_id: int, code: str, payment_ref: str) -> ListingPromotion | None:
    """Activate what a paid order line bought (payments calls this on a verified paid
    callback). Idempotent: a line already fulfilled returns its promotion and changes
    nothing. A Top or highlight bought while one runs starts when that one ends."""
    if code not in PRODUCTS:
        return None
    done = db.session.scalar(select(ListingPromotion).where(ListingPromotion.payment_ref == payment_ref))
    if done is not None:
        return done
    listing = db.session.get(Listing, listing_id, with_for_update=True)
    if listing is None:
        return None
    kind, days = PRODUCTS[code]
    now = utcnow()
    starts = now
    if kind == "raise":
        listing.bumped_at = now
    else:
        current = getattr(listing, UNTIL[kind])
        starts = max(now, current) if current else now
        setattr(listing, UNTIL[kind], starts + timedelta(days=days))
    promotion = ListingPromotion(
        listing_id=listing.id,
        kind=kind,
        days=days,
        amount_kzt=price_kzt(code),
        payment_ref=payment_ref,
        starts_at=starts,
        ends_at=starts + timedelta(days=days),
    )
    db.session.add(promotion)
    db.session.flush()
    return promotion


def cancel(payment_ref: str) -> bool:
    """Undo what a refunded line bought: its unused time is taken off (later purchases of
    the same kind move earlier by as much). A raise already happened and stays. Idempotent:
    False when there is nothing (left) to cancel."""
    promotion = db.session.scalar(select(ListingPromotion).where(ListingPromotion.payment_ref == payment_ref))
    if promotion is None or promotion.cancelled_at is not None:
        return False
    listing = db.session.get(Listing, promotion.listing_id, with_for_update=True)
    now = utcnow()
    promotion.cancelled_at = now
    if promotion.kind in UNTIL and listing is not None:
        cut_to = max(now, promotion.starts_at)
        unused = max(promotion.ends_at - cut_to, timedelta(0))
        for later in running(listing.id, promotion.kind, after=promotion.ends_at):
            later.starts_at -= unused
            later.ends_at -= unused
        promotion.ends_at = min(promotion.ends_at, cut_to)
        ends = [p.ends_at for p in running(listing.id, promotion.kind) if p.id != promotion.id]
        setattr(listing, UNTIL[promotion.kind], max(ends) if ends and max(ends) > now else None)
    db.session.flush()
    return True


def running(listing_id: int, kind: str, after: datetime | None = None) -> list[ListingPromotion]:
    """The listing's promotions of `kind` not cancelled (starting at or after `after`)."""
    query = select(ListingPromotion).where(
        ListingPromotion.listing_id == listing_id,
        ListingPromotion.kind == kind,
        ListingPromotion.cancelled_at.is_(None),
    )
    if after is not None:
        query = query.where(ListingPromotion.starts_at >= after)
    return list(db.session.scalars(query.order_by(ListingPromotion.starts_at)))


def owner_view(listing: Listing) -> dict:
    """What the owner's promotion panel shows: whether a free raise is due and when the next
    one is, and what runs until when (the listing's own columns)."""
    next_raise = next_free_raise(listing)
    return {
        "can_raise": can_raise(listing),
        "raise_due": next_raise <= utcnow(),
        "next_free_raise": next_raise,
        "top_until": listing.top_until if listing.is_top else None,
        "highlight_until": listing.highlight_until if listing.is_highlighted else None,
    }
