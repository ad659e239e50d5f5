"""Languages: which one a request is rendered in, how the choice is kept, local formats.

Russian, Kazakh and English. A request gets, in this order: `?lang=` on the URL (which also
stores the choice in a cookie and on the member's account), the member's account choice,
the `lang` cookie, the browser's Accept-Language, then `DEFAULT_LOCALE` (Russian).
Every date is shown in one site time zone (`BABEL_DEFAULT_TIMEZONE`, Asia/Almaty); the
database stores naive UTC.
"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    # imported here: app.i18n.phone and .locale are imported by features early on, and the
    # formats need the catalogue's currency signs
    from app.i18n.formats import register_filters
    from app.i18n.js import register_js
    from app.i18n.locale import register_locale

    register_locale(app)
    register_filters(app)
    register_js(app)
