"""The seller's phone behind a "Call" button: shown to signed-in members on a tap, each
member counted once per listing, so the seller sees how many people asked for it. The
caller commits."""

from __future__ import annotations

import re

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.i18n.phone import normalize_phone
from app.models import Listing, PhoneReveal, User


def seller_phone(seller: User) -> str | None:
    """The number a buyer may be shown: a dealer's business phone (public on their profile),
    else the member's own phone when they chose to show it; None when there is none."""
    profile = seller.dealer_profile if seller.is_dealer else None
    if profile is not None and profile.phone:
        return profile.phone
    if seller.phone and seller.phone_visible:
        return seller.phone
    return None


def tel_link(phone: str) -> str:
    """tel: URI of a stored number ("+7 701 555-44-33" → "tel:+77015554433")."""
    return "tel:" + (normalize_phone(phone) or re.sub(r"[^0-9+]", "", phone))


def record_reveal(listing: Listing, user: User) -> bool:
    """Remember that `user` was shown the phone of `listing`; the counter goes up the first
    time only (returns whether it did). The seller's own taps are not counted."""
    if user.id == listing.seller_id:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(PhoneReveal(listing_id=listing.id, user_id=user.id))
    except IntegrityError:
        return False
    db.session.execute(update(Listing).where(Listing.id == listing.id).values(phone_reveals=Listing.phone_reveals + 1))
    return True
