"""Password rules: long enough, not too long, and not easy to guess (zxcvbn).

zxcvbn estimates how many guesses a password takes, knowing the common-password lists,
dictionary words, names, keyboard rows, repeats, sequences and dates, and the words given
as `user_inputs` (the person's name and e-mail, this site's own words). A score under
PASSWORD_MIN_SCORE (0–4) is refused with the reason zxcvbn found, in our own words.

zxcvbn's cost grows quickly with length (about 0.1 s for 40 characters and 0.2 s for 64 on
a loaded 2-core machine), so only the first PASSWORD_SCORED_CHARS characters are scored:
a long passphrase is judged by its start, which must be strong on its own.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

PASSWORD_MIN = 8
PASSWORD_MAX = 128
PASSWORD_MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable", about 10^8 guesses
PASSWORD_SCORED_CHARS = 40

# Words an attacker tries first on this site, beyond zxcvbn's English lists.
SITE_WORDS = [
    "garage", "гараж", "kolesa", "колеса", "машина", "mashina", "avto", "авто", "auto", "car",
    "пароль", "parol", "password", "йцукен", "qwerty", "фыва", "kazakhstan", "казахстан",
    "kz", "almaty", "алматы", "astana", "астана", "shymkent", "шымкент", "toyota", "тойота",
    "camry", "камри", "lada", "лада",
]  # fmt: skip

# zxcvbn's own (English) warnings, mapped to our translated reasons.
COMMON = _l("it is one of the most common passwords")
REASONS = {
    "This is a top-10 common password.": COMMON,
    "This is a top-100 common password.": COMMON,
    "This is a very common password.": COMMON,
    "This is similar to a commonly used password.": _l("it is a common password with small changes"),
    "A word by itself is easy to guess.": _l("a single word is easy to guess"),
    "Names and surnames by themselves are easy to guess.": _l("names are easy to guess"),
    "Common names and surnames are easy to guess.": _l("names are easy to guess"),
    "Straight rows of keys are easy to guess.": _l("rows of keys like qwerty are easy to guess"),
    "Short keyboard patterns are easy to guess.": _l("rows of keys like qwerty are easy to guess"),
    'Repeats like "aaa" are easy to guess.': _l("repeated characters or words are easy to guess"),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': _l(
        "repeated characters or words are easy to guess"
    ),
    'Sequences like "abc" or "6543" are easy to guess.': _l("sequences like abc or 6543 are easy to guess"),
    "Recent years are easy to guess.": _l("years and dates are easy to guess"),
    "Dates are often easy to guess.": _l("years and dates are easy to guess"),
}
PERSONAL = _l("it contains your username or e-mail address")
COMMON_WORD = _l("it is built on a word everyone tries first")
PREDICTABLE = _l("it is short or predictable")
TOO_SHORT = _l("At least %(min)d characters.", min=PASSWORD_MIN)
TOO_LONG = _l("At most %(max)d characters.", max=PASSWORD_MAX)


def personal_words(*values: str | None) -> list[str]:
    """The user's own words for zxcvbn: the name and the e-mail with its parts."""
    words: list[str] = []
    for value in values:
        if value:
            words.append(value)
            words += [part for part in re.split(r"[@._\-+]", value) if len(part) >= 3]
    return words


def password_problem(password: str, *personal: str | None) -> str | None:
    """Why `password` is refused (a translated sentence), or None when it is fine.

    `personal` are the person's username and e-mail: a password built on them is weak."""
    if len(password) < PASSWORD_MIN:
        return str(TOO_SHORT)
    if len(password) > PASSWORD_MAX:
        return str(TOO_LONG)
    own = personal_words(*personal)
    result = zxcvbn(password[:PASSWORD_SCORED_CHARS], user_inputs=own + SITE_WORDS)
    if result["score"] >= PASSWORD_MIN_SCORE:
        return None
    reason = reason_for(result, own)
    return _("This password is too easy to guess: %(reason)s. Add a few more words.", reason=reason)


def reason_for(result: dict, own: list[str]) -> str:
    """The reason for a weak zxcvbn result, in the visitor's language."""
    own_words = {word.lower() for word in own}
    for match in result["sequence"]:
        if match.get("dictionary_name") == "user_inputs":
            return str(PERSONAL if match["matched_word"] in own_words else COMMON_WORD)
    return str(REASONS.get(result["feedback"]["warning"], PREDICTABLE))
