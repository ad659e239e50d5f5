"""Translated strings and time format for app/static/js, handed over by the page.

base.html renders `js_i18n()` into `<script type="application/json" id="garage-i18n">`
(data, not code: the CSP allows it). garage.js reads it once:

    garage.t("upload_failed")                      -> "Не удалось загрузить"
    garage.t("n_files", {n: 3})                    -> %(n)s placeholders are filled in
    garage.formatTime("2026-12-01T10:13:38Z")     -> "15:13", exactly what |time renders

A feature adds its strings at import time, next to its code:

    from app.i18n.js import add_js_strings
    add_js_strings({"photo_too_big": _l("The photo is larger than %(mb)s MB.")})
"""

from __future__ import annotations

from babel.dates import get_period_names, get_time_format
from flask import Flask, current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

# key -> lazy string; keys are what JavaScript asks for.
JS_STRINGS: dict[str, object] = {
    "upload_failed": _l("Upload failed. Try again."),
    "network_error": _l("No connection. Check the network and try again."),
    "sending": _l("Sending…"),
    "not_sent": _l("Not sent"),
    "retry": _l("Retry"),
}
_rendered: dict[tuple[str, str], dict] = {}


def add_js_strings(strings: dict[str, object]) -> None:
    """Make more translated strings available to JavaScript (call at import time)."""
    JS_STRINGS.update(strings)
    _rendered.clear()


def js_i18n_data() -> dict:
    locale = get_locale()
    periods = get_period_names("abbreviated", "format", locale=locale)
    return {
        "locale": str(locale),
        "timeZone": current_app.config["BABEL_DEFAULT_TIMEZONE"],
        "timePattern": get_time_format("short", locale=locale).pattern,
        "periods": {"am": periods["am"], "pm": periods["pm"]},
        "strings": {key: str(text) for key, text in JS_STRINGS.items()},
    }


def js_i18n() -> dict:
    """The data for the page's JSON block (`|tojson` escapes it for <script>), built once
    per language and kept: the strings only change with a new release."""
    key = (str(get_locale()), current_app.config["BABEL_DEFAULT_TIMEZONE"])
    if key not in _rendered:
        _rendered[key] = js_i18n_data()
    return _rendered[key]


def register_js(app: Flask) -> None:
    app.jinja_env.globals["js_i18n"] = js_i18n
