"""Users as a moderation target: reported from their profile; "remove" bans for good."""

from __future__ import annotations

from flask import url_for

from app.admin.services import ban_user, unban_user
from app.core.moderation import ModerationTarget
from app.extensions import db
from app.models import User


def load_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def remove_user(user: User) -> None:
    ban_user(user, None, "removed by a moderator")


def restore_user(user: User) -> None:
    unban_user(user)


TARGET = ModerationTarget(
    kind="user",
    load=load_user,
    title=lambda user: f"@{user.username} ({user.name})",
    url=lambda user: url_for("profile.show", username=user.username),
    excerpt=lambda user: (user.about or "")[:300],
    author_id=lambda user: user.id,
    remove=remove_user,
    restore=restore_user,
    is_removed=lambda user: user.is_banned,
)
