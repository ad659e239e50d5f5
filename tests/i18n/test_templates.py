"""No template holds visible text outside the translation functions: every sentence a person
reads goes through _() (and so into the catalogues, which tests/main/test_catalogues.py checks
are complete in Russian and Kazakh)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "app" / "templates"
# Latin words a Russian or Kazakh page keeps: the brand, units and codes people write so.
LATIN_ALLOWED = {"Garage", "VIN", "JPEG", "PNG", "WebP", "GIF", "km", "hp", "RU", "EN"}
NOT_PROSE = ("script", "style", "code")  # code, addresses and data, not sentences


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
