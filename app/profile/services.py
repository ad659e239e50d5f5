"""Profile operations; the caller commits."""

from __future__ import annotations

from typing import IO

from flask_babel import gettext as _

from app import media
from app.forum.services import user_post_count, user_topic_count
from app.models import DealerProfile, User
from app.profile.activity import seller_activity
from app.profile.reviews import active_listing_count, seller_rating


def update_profile(user: User, data: dict) -> None:
    for field in ("display_name", "city", "about", "phone", "phone_visible"):
        setattr(user, field, data[field])
    if data.get("locale"):
        user.locale = data["locale"]


def replace_avatar(user: User, stream: IO[bytes]) -> None:
    """Store a new avatar (raises media.ImageRejected) and drop the old files."""
    name = media.save_image(stream, "avatars")
    old, user.avatar = user.avatar, name
    media.delete_image("avatars", old)


def update_dealer(user: User, data: dict) -> DealerProfile:
    profile = user.dealer_profile or DealerProfile(user=user)
    for field in ("company_name", "address", "phone", "website", "hours"):
        setattr(profile, field, data[field])
    return profile


def profile_stats(user: User) -> list[tuple[str, int | str]]:
    """Counters shown on a profile page: (label, value). Features add theirs here."""
    stats: list[tuple[str, int | str]] = []
    stats += [(_("Forum topics"), user_topic_count(user)), (_("Forum posts"), user_post_count(user))]
    rating = seller_rating(user)
    stats.append((_("Cars on sale"), active_listing_count(user)))
    if rating:
        stats.append((_("Seller rating"), f"★ {rating[0]} ({rating[1]})"))
    if answers := seller_activity(user)["answers"]:
        stats.append((_("In the chat"), answers))
    return stats
