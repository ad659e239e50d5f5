"""Template globals and filters shared by every feature."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, g, url_for
from flask_babel import get_locale, ngettext
from flask_login import current_user

from app.inputs import web_address
from app.media import image_url


def avatar_url(user, size: int = 256) -> str:
    """The user's avatar, or the generated one with their initial."""
    if user.avatar:
        return image_url("avatars", user.avatar, "64" if size <= 64 else "256")
    return url_for("profile.default_avatar", username=user.username)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        avatar_url=avatar_url, image_url=image_url, get_locale=get_locale, web_address=web_address
    )
    app.context_processor(lambda: {"nav_counts": LazyCounts(), "live_labels": LiveLabels()})


# Integers that reach every CLDR plural category of the languages Garage speaks
# (en: one/other; ru: one/few/many; kk: one/other).
PLURAL_SAMPLES = (1, 2, 5, 0, 11, 21, 22, 25, 101, 111)


class PluralLabels(dict):
    """A counted phrase for JavaScript: {CLDR plural category: text with "{n}"}.

    garage.js picks the form with `Intl.PluralRules(<html lang>).select(n)`, so a live count
    reads "3 непрочитанных сообщения" exactly as ngettext would say it on the server.
    """

    def __init__(self, form: Callable[[int], str]):
        locale = get_locale()
        super().__init__()
        for number in PLURAL_SAMPLES:
            category = locale.plural_form(number) if locale else ("one" if number == 1 else "other")
            self.setdefault(category, form(number))
        self.setdefault("other", form(PLURAL_SAMPLES[-1]))
        self.form = form

    def label(self, number: int) -> str:
        """The phrase for `number`, as the server renders it."""
        return self.form(number).replace("{n}", str(number))


class LiveLabels:
    """`live_labels.messages` in templates: the accessible names of the navbar counters."""

    @property
    def messages(self) -> PluralLabels:
        return PluralLabels(lambda n: ngettext("%(count)s unread message", "%(count)s unread messages", n, count="{n}"))

    @property
    def notifications(self) -> PluralLabels:
        return PluralLabels(
            lambda n: ngettext("%(count)s unread notification", "%(count)s unread notifications", n, count="{n}")
        )


class LazyCounts:
    """`nav_counts.messages` in templates; computed once, on first use."""

    def __init__(self) -> None:
        self.counts: dict[str, int] | None = None

    def __getattr__(self, name: str) -> int:
        if self.counts is None:
            self.counts = nav_counts()
        return self.counts.get(name, 0)


# Navbar counters (unread messages, notifications), added by the features that own them.
NAV_COUNTERS = "garage.nav_counters"


def add_nav_counter(app: Flask, name: str, count: Callable[[Any], int]) -> None:
    """`nav_counts.<name>` in templates: `count(user)` for the signed-in user, else 0."""
    app.extensions.setdefault(NAV_COUNTERS, {})[name] = count


def nav_counts() -> dict[str, int]:
    if g.get("database_unavailable") or not current_user.is_authenticated:
        return {}
    counters = current_app.extensions.get(NAV_COUNTERS, {})
    return {name: count(current_user) for name, count in counters.items()}
