"""Rules for usernames and other account fields, shared by forms and the CLI."""

from __future__ import annotations

import unicodedata

USERNAME_MIN, USERNAME_MAX = 3, 30
USERNAME_PUNCTUATION = set("_.-")


def normalize_username(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw or "").strip()


def username_key(username: str) -> str:
    """The form two usernames are compared in: 'Ivan' and 'ivan' are the same."""
    return normalize_username(username).casefold()


def username_problem(username: str) -> str | None:
    """Why a (normalized) username is refused, or None when it is fine."""
    from flask_babel import gettext as _

    if not USERNAME_MIN <= len(username) <= USERNAME_MAX:
        return _("A username is %(min)d to %(max)d characters long.", min=USERNAME_MIN, max=USERNAME_MAX)
    for char in username:
        category = unicodedata.category(char)
        if category.startswith("C") or category.startswith("Z"):
            return _("Invisible, space and control characters are not allowed in a username.")
        if not (char.isalnum() or char in USERNAME_PUNCTUATION):
            return _("Use letters, digits and _ . - only.")
    return None
