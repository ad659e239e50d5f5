"""Template globals and filters shared by every feature."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, url_for
from flask_babel import get_locale
from flask_login import current_user

from app.media import image_url


def avatar_url(user, size: int = 256) -> str:
    """The user's avatar, or the generated one with their initial."""
    if user.avatar:
        return image_url("avatars", user.avatar, "64" if size <= 64 else "256")
    return url_for("profile.default_avatar", username=user.username)


def register(app: Flask) -> None:
    app.jinja_env.globals.update(avatar_url=avatar_url, image_url=image_url, get_locale=get_locale)
    app.context_processor(lambda: {"nav_counts": LazyCounts()})


class LazyCounts:
    """`nav_counts.messages` in templates; computed once, on first use."""

    def __init__(self) -> None:
        self.counts: dict[str, int] | None = None

    def __getattr__(self, name: str) -> int:
        if self.counts is None:
            self.counts = nav_counts()
        return self.counts.get(name, 0)


# Navbar counters (unread messages, notifications), filled by the features that own them:
# NAV_COUNTERS["messages"] = lambda user: ...
NAV_COUNTERS: dict[str, Callable[[Any], int]] = {}


def nav_counts() -> dict[str, int]:
    if not current_user.is_authenticated:
        return {}
    return {name: count(current_user) for name, count in NAV_COUNTERS.items()}
