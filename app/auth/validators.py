"""Rules for usernames and other account fields, shared by forms and the CLI."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l

from app.auth.names import is_reserved, mixes_scripts

USERNAME_MIN, USERNAME_MAX = 3, 30
USERNAME_PUNCTUATION = set("_.-")
RESERVED_MESSAGE = _l("This name is kept for the site's staff. Choose another one.")


def normalize_username(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw or "").strip()


def username_key(username: str) -> str:
    """The form two usernames are compared in: 'Ivan' and 'ivan' are the same."""
    return normalize_username(username).casefold()


def username_problem(username: str, staff: bool = False) -> str | None:
    """Why a (normalized) username is refused, or None when it is fine. `staff` (the
    createadmin command) may take a reserved name such as "admin"."""
    from flask_babel import gettext as _

    if not USERNAME_MIN <= len(username) <= USERNAME_MAX:
        return _("A username is %(min)d to %(max)d characters long.", min=USERNAME_MIN, max=USERNAME_MAX)
    for char in username:
        category = unicodedata.category(char)
        if category.startswith("C") or category.startswith("Z"):
            return _("Invisible, space and control characters are not allowed in a username.")
        if not (char.isalnum() or char in USERNAME_PUNCTUATION):
            return _("Use letters, digits and _ . - only.")
    if mixes_scripts(username):
        return _("Use one alphabet in a username: do not mix Latin, Cyrillic or Greek letters.")
    if not staff and is_reserved(username):
        return str(RESERVED_MESSAGE)
    return None


def display_name_problem(name: str, staff: bool = False) -> str | None:
    """Why a display name (or a dealer's company name) is refused, or None. Each word in
    one alphabet; no staff-like names unless `staff` (moderators and admins)."""
    from flask_babel import gettext as _

    if any(mixes_scripts(word) for word in name.split()):
        return _("Write each word of the name in one alphabet: do not mix Latin, Cyrillic or Greek letters.")
    if not staff and is_reserved(name):
        return str(RESERVED_MESSAGE)
    return None
