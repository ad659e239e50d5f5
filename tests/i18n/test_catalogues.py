"""The translation catalogues and templates: every string a person reads is translated in
Russian and Kazakh, no translation loses a placeholder, and no template holds visible text
outside the translation functions. These fail as soon as someone adds an English string
without its ru and kk translations (see README "Languages")."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from jinja2 import Environment

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
TEMPLATES = ROOT / "app" / "templates"
LANGUAGES = ("ru", "kk")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")
# Latin words a Russian or Kazakh page keeps: the brand, units and codes people write so.
LATIN_ALLOWED = {"Garage", "VIN", "JPEG", "PNG", "WebP", "GIF", "km", "hp", "RU", "EN"}
NOT_PROSE = ("script", "style", "code")  # code, addresses and data, not sentences


def catalogue(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as file:
        return read_po(file, locale=language)


def forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


def ids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple | list) else [message.id]


def placeholders(text: str) -> set[str]:
    return {m.group(1) or m.group(0) for m in PLACEHOLDER.finditer(text)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    problems = []
    for message in catalogue(language):
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {ids(message)[0]!r}")
        if not all(form.strip() for form in forms(message)):
            problems.append(f"untranslated: {ids(message)[0]!r}")
    assert not problems, f"{language}: " + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_messages_have_every_form_of_the_language(language):
    expected = {"ru": 3, "kk": 2}[language]
    cat = catalogue(language)
    assert cat.num_plurals == expected
    short = [ids(m)[0] for m in cat if m.pluralizable and len(forms(m)) != expected]
    assert not short, short


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_drops_or_renames_a_placeholder(language):
    problems = []
    for message in catalogue(language):
        if not message.id:
            continue
        wanted = set().union(*(placeholders(i) for i in ids(message)))
        for form in forms(message):
            # a singular form may say "one" in words instead of %(num)s; nothing else may differ
            got = placeholders(form)
            if got - wanted or (wanted - got) - {"num"}:
                problems.append(f"{ids(message)[0]!r}: {sorted(wanted)} -> {form!r}")
    assert not problems, f"{language}: " + "\n".join(problems)


def extracted_ids(tmp_path) -> set[str]:
    pot = tmp_path / "fresh.pot"
    subprocess.run(
        [Path(sys.executable).with_name("pybabel"), "extract", "-F", "babel.cfg", "-k", "_l", "-k",
         "lazy_gettext", "-k", "lazy_ngettext:1,2", "-k", "lazy_pgettext:1c,2", "--no-location",
         "-o", str(pot), "app"],
        cwd=ROOT, check=True,
    )  # fmt: skip
    with open(pot, "rb") as file:
        return {ids(m)[0] for m in read_po(file) if m.id}


def test_every_string_in_the_code_is_in_both_catalogues(tmp_path):
    fresh = extracted_ids(tmp_path)
    assert len(fresh) > 300
    for language in LANGUAGES:
        known = {ids(m)[0] for m in catalogue(language) if m.id}
        missing = sorted(fresh - known)
        assert not missing, f"{language} lacks {len(missing)} msgids (append them, see README): {missing[:20]}"


class VisibleText(HTMLParser):
    """Text nodes and the attributes people read (title, alt, placeholder, aria-label, the
    page description)."""

    ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in NOT_PROSE:
            self.skip += 1
        attributes = dict(attrs)
        self.texts += [value for name, value in attrs if name in self.ATTRIBUTES and value]
        if tag == "meta" and attributes.get("name") == "description":
            self.texts.append(attributes.get("content") or "")

    def handle_endtag(self, tag):
        if tag in NOT_PROSE and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.texts.append(data)


def literal_markup(source: str) -> str:
    """The template with every {{ }}, {% %} and {# #} replaced by a space: what is left is
    text written straight into the HTML."""
    env = Environment(extensions=["jinja2.ext.i18n", "jinja2.ext.do"], autoescape=True)
    parts = []
    for _lineno, kind, value in env.lex(source):
        parts.append(value if kind == "data" else " ")
    return "".join(parts)


def english_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z][A-Za-z'’-]+", text) if w not in LATIN_ALLOWED]


def test_templates_hold_no_visible_text_outside_the_translation_functions():
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        parser = VisibleText()
        parser.feed(literal_markup(path.read_text(encoding="utf-8")))
        words = [w for text in parser.texts for w in english_words(text)]
        if words:
            problems.append(f"{path.relative_to(TEMPLATES)}: {' '.join(words[:8])}")
    assert not problems, "visible text not in _():\n" + "\n".join(problems)
