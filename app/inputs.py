"""Input cleaning shared by every route, form and Socket.IO event.

Text from outside (query strings, form fields, JSON bodies, socket payloads) loses the
characters no person types and PostgreSQL refuses: NUL and the other C0 controls except
tab, newline and carriage return, DEL, and lone UTF-16 surrogates (which cannot be
encoded). What remains is normalised to NFC, so one word has one spelling. Numbers read
from query strings are ASCII digits only, within a bound: `"²".isdigit()` is true and
`int("²")` raises, and a 30-digit page number overflows PostgreSQL's bigint.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from flask import Request, request
from flask_wtf import FlaskForm
from flask_wtf.form import SUBMIT_METHODS
from flask_wtf.form import _Auto as AUTO_FORMDATA  # "read the request", FlaskForm's default
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import BaseConverter
from wtforms import DecimalField
from wtforms.validators import ValidationError

# C0 controls but \t \n \r, DEL, and surrogate code points (only lone ones survive decoding).
HOSTILE_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
ASCII_NUMBER = re.compile(r"[0-9]{1,18}")
# The largest value a PostgreSQL integer column holds.
MAX_INT = 2**31 - 1


def clean_text(value: str) -> str:
    """`value` without control characters and lone surrogates, NFC-normalised."""
    return unicodedata.normalize("NFC", HOSTILE_CHARS.sub("", value))


def has_hostile_chars(value: str) -> bool:
    return HOSTILE_CHARS.search(value) is not None


def parse_int(value: str | None, *, minimum: int = 0, maximum: int = MAX_INT) -> int | None:
    """The number written in ASCII digits (surrounding spaces allowed), or None when it is
    anything else or outside minimum..maximum."""
    if value is None:
        return None
    value = value.strip()
    if not ASCII_NUMBER.fullmatch(value):
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


def int_arg(name: str, default: int | None = None, *, minimum: int = 0, maximum: int = MAX_INT) -> int | None:
    """A number from the query string (`?page=2`), or `default` when missing or malformed."""
    number = parse_int(request.args.get(name), minimum=minimum, maximum=maximum)
    return default if number is None else number


def clean_value(value: Any) -> Any:
    """Strings cleaned, lists and dicts (JSON) walked, anything else (files) unchanged."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_value(item) for item in value]
    if isinstance(value, dict):
        return {clean_value(key): clean_value(item) for key, item in value.items()}
    return value


class CleanMultiDict(ImmutableMultiDict):
    """Query arguments and form fields, cleaned once as they are parsed."""

    def __init__(self, mapping=None):
        if mapping is None:
            super().__init__()
            return
        items = mapping.items(multi=True) if isinstance(mapping, MultiDict) else mapping
        if isinstance(items, dict):
            items = items.items()
        super().__init__([(clean_value(key), clean_value(value)) for key, value in items])


class CleanRequest(Request):
    """The app's request: `args`, `form` and `get_json()` hold cleaned text only, so every
    form, filter and JSON handler gets it without doing anything."""

    parameter_storage_class = CleanMultiDict

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True):
        try:
            return clean_value(super().get_json(force=force, silent=silent, cache=cache))
        except RecursionError as error:  # `[[[[...` nested past Python's recursion limit
            if silent:
                return None
            return self.on_json_loading_failed(ValueError(f"nested too deeply ({error})"))


def json_form_data(payload: Any) -> CleanMultiDict | None:
    """What a form reads from a JSON body: an object's text values (a list of texts for a
    repeated field). A bare number or list, and numbers, booleans or objects where a field
    expects text, are no form data: a browser's form never sends them (None: nothing
    posted, as Flask-WTF says for an empty body)."""
    if not isinstance(payload, dict):
        return None
    items = []
    for key, value in payload.items():
        items += [(key, text) for text in (value if isinstance(value, list) else [value]) if isinstance(text, str)]
    return CleanMultiDict(items) if items else None


def read_json_forms_as_text() -> None:
    """Flask-WTF fills a form from a JSON body when nothing else was posted and hands the
    document over as it is: `[1]` or `7` was a TypeError (500), `{"title": 5}` reached the
    validators as a number. Every form (any feature's, present or future) now reads a JSON
    body through `json_form_data`. Called by create_app; a second call changes nothing."""
    meta = FlaskForm.Meta
    if getattr(meta.wrap_formdata, "reads_json_as_text", False):
        return
    library_wrap = meta.wrap_formdata

    def wrap_formdata(self, form, formdata):
        posted = request.method in SUBMIT_METHODS and not request.files and not request.form
        if formdata is AUTO_FORMDATA and posted and request.is_json:
            return json_form_data(request.get_json(silent=True))
        return library_wrap(self, form, formdata)

    wrap_formdata.reads_json_as_text = True
    meta.wrap_formdata = wrap_formdata


class PathSegmentConverter(BaseConverter):
    """`<name>` in routes: a segment holding a control character matches no route (404),
    so usernames and slugs from URLs never carry NUL to the database."""

    regex = r"[^/\x00-\x1f\x7f]+"


class PathConverter(PathSegmentConverter):
    """`<path:...>`: slashes allowed, control characters still refused."""

    regex = r"[^/\x00-\x1f\x7f][^\x00-\x1f\x7f]*?"
    part_isolating = False


# No listing of the site has 100,000 pages; past it, the first page is shown.
MAX_PAGE = 100_000


def page_arg() -> int:
    """`?page=` as a page number from 1; anything else is the first page."""
    return int_arg("page", 1, minimum=1, maximum=MAX_PAGE) or 1


class FiniteDecimalField(DecimalField):
    """A decimal field that refuses NaN, sNaN and infinities (Decimal parses them, and a
    NumberRange comparison with sNaN raises); the field's validators then say the range."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if valuelist and self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value."))


def hostile_payload(value: Any) -> bool:
    """True when a JSON-like payload (a Socket.IO event's data) holds a control character
    or a lone surrogate anywhere: such events are refused with an error ack."""
    if isinstance(value, str):
        return has_hostile_chars(value)
    if isinstance(value, list):
        return any(hostile_payload(item) for item in value)
    if isinstance(value, dict):
        return any(hostile_payload(key) or hostile_payload(item) for key, item in value.items())
    return False


def web_address(value: str | None) -> str | None:
    """`value` when it is an http(s) address with a host, else None: a website typed by a
    member becomes a link only then (never javascript:, data: or a scheme-less path)."""
    if not value or any(char.isspace() for char in value) or has_hostile_chars(value):
        return None
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:  # an unbalanced IPv6 bracket, a bad port
        return None
    return value if parts.scheme.lower() in ("http", "https") and host else None


class WebAddress:
    """Form validator: an http:// or https:// address with a host."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field) -> None:
        if field.data and web_address(field.data) is None:
            raise ValidationError(self.message)
