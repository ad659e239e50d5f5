"""The Russian and Kazakh catalogues are complete: every message the code shows is translated,
nothing is left fuzzy, every placeholder survives the translation and plurals have the forms
each language needs. A reader never meets an English sentence or a broken "%(name)s"."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "app" / "translations"
# The same extraction as `make messages`.
# templates/_macros holds text: pybabel would skip a directory starting with "_".
DIRECTORIES = ["--ignore-dirs", ".* __pycache__"]
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2", "-k", "lazy_pgettext:1c,2"]
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[sdif]|\{[A-Za-z_0-9]*\}")
PLURAL_FORMS = {"ru": 3, "kk": 2}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Every message in the code and templates, extracted as `make messages` does."""
    pot = tmp_path_factory.mktemp("messages") / "messages.pot"
    babel = [sys.executable, "-m", "babel.messages.frontend"]
    command = [*babel, "extract", "-F", "babel.cfg", *KEYWORDS, *DIRECTORIES, "-o", str(pot), "app"]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as file:
        return [message for message in read_po(file) if message.id]


def catalogue(language: str):
    with (CATALOGUES / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=language)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", PLURAL_FORMS)
def test_every_message_is_translated(extracted, language):
    translations = catalogue(language)
    missing = []
    for message in extracted:
        entry = translations.get(message.id)
        strings = entry.string if entry is not None and isinstance(entry.string, tuple) else (entry and entry.string,)
        if entry is None or not all(strings):
            missing.append(message.id)
    assert missing == [], f"{len(missing)} messages have no {language} translation"


@pytest.mark.parametrize("language", PLURAL_FORMS)
def test_nothing_is_fuzzy_and_placeholders_are_kept(language):
    translations = catalogue(language)
    assert not translations.fuzzy
    problems = []
    for entry in translations:
        if not entry.id:
            continue
        if entry.fuzzy:
            problems.append(("fuzzy", entry.id))
        singular, plural = entry.id if isinstance(entry.id, tuple) else (entry.id, None)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for number, text in enumerate(strings):
            source = plural if plural and number else singular
            if text and placeholders(text) != placeholders(source):
                problems.append(("placeholders", entry.id, text))
    assert problems == []


@pytest.mark.parametrize(("language", "forms"), PLURAL_FORMS.items())
def test_plurals_have_every_form_of_the_language(language, forms):
    translations = catalogue(language)
    assert translations.num_plurals == forms
    short = [entry.id for entry in translations if isinstance(entry.id, tuple) and len(entry.string) != forms]
    assert short == []


def test_russian_counts_read_right(app):
    """1 машина, 2 машины, 5 машин, 11 машин, 21 машина; Kazakh keeps the noun singular."""
    from flask_babel import force_locale, ngettext

    with app.test_request_context():
        with force_locale("ru"):
            cars = [ngettext("%(num)s car", "%(num)s cars", n) for n in (1, 2, 5, 11, 21, 22)]
            assert cars == ["1 машина", "2 машины", "5 машин", "11 машин", "21 машина", "22 машины"]
        with force_locale("kk"):
            assert [ngettext("%(num)s car", "%(num)s cars", n) for n in (1, 5)] == ["1 көлік", "5 көлік"]
