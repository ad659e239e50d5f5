"""Locale selection, the `?lang=` switch, the language cookie and `hreflang` alternates."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import force_locale, get_locale
from flask_login import current_user

from app.extensions import db

LANG_PARAM = "lang"
LANG_COOKIE = "lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600
# Names of the languages in themselves, for the switcher (never translated).
LANGUAGE_NAMES = {"ru": "Русский", "kk": "Қазақша", "en": "English"}
LANGUAGE_SHORT = {"ru": "RU", "kk": "ҚАЗ", "en": "EN"}


def languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def valid_language(value: str | None) -> str | None:
    """`value` when it is one of the site's languages, else None (anything else is ignored)."""
    return value if isinstance(value, str) and value in current_app.config["LANGUAGES"] else None


def requested_language() -> str | None:
    """The language asked for by `?lang=` on this request's URL, if a valid one."""
    return valid_language(request.args.get(LANG_PARAM))


def account_language() -> str | None:
    """The signed-in member's stored choice (None for guests or when never chosen)."""
    user = current_user
    if user and user.is_authenticated:
        return valid_language(getattr(user, "locale", None))
    return None


def select_locale() -> str:
    """Flask-Babel's locale selector: URL, account, cookie, browser, then the default."""
    default = current_app.config["DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    return (
        requested_language()
        or account_language()
        or valid_language(request.cookies.get(LANG_COOKIE))
        or request.accept_languages.best_match(languages())
        or default
    )


def select_timezone() -> str:
    """One site time zone for everyone (the server stores UTC)."""
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def remember_requested_language() -> None:
    """`?lang=xx`: keep the choice on the member's account; the cookie is set after the request."""
    chosen = requested_language()
    if not chosen:
        return
    g.lang_chosen = chosen
    user = current_user
    if user and user.is_authenticated and getattr(user, "locale", None) != chosen:
        user.locale = chosen
        db.session.commit()


def set_language_cookie(response):
    chosen = g.get("lang_chosen")
    if chosen and request.cookies.get(LANG_COOKIE) != chosen:
        response.set_cookie(
            LANG_COOKIE,
            chosen,
            max_age=LANG_COOKIE_MAX_AGE,
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
            httponly=True,
            samesite="Lax",
        )
    if request.endpoint != "static":
        response.vary.update(("Accept-Language", "Cookie"))
    return response


def language_url(code: str | None, absolute: bool = False) -> str:
    """This page's URL in language `code` (None: without `lang`, the x-default one).

    Built from the request's path and query only; absolute URLs start with SITE_URL,
    never with the Host header a client sent.
    """
    args = [(k, v) for k, v in request.args.items(multi=True) if k != LANG_PARAM]
    if code:
        args.append((LANG_PARAM, code))
    url = request.path + ("?" + urlencode(args) if args else "")
    return current_app.config["SITE_URL"] + url if absolute else url


def alternate_links() -> list[tuple[str, str]]:
    """(hreflang, absolute URL) for every language and x-default, for <link rel=alternate>."""
    links = [(code, language_url(code, absolute=True)) for code in languages()]
    links.append(("x-default", language_url(None, absolute=True)))
    return links


def current_language() -> str:
    """The language this response is rendered in ("ru", "kk" or "en")."""
    return str(get_locale() or current_app.config["DEFAULT_LOCALE"])


@contextmanager
def recipient_language(language: str | None) -> Iterator[str]:
    """Render a mail or a notification for someone else in THEIR language: the one stored
    on their account, else the current page's (a visitor registering reads this page)."""
    chosen = valid_language(language) or current_language()
    with force_locale(chosen):
        yield chosen


def remember_language_choice(language: str) -> None:
    """A choice made in the settings form: the cookie follows the account."""
    if valid_language(language):
        g.lang_chosen = language


def local_name(place) -> str:
    """A region's or city's name in the page's language (the English one until translated)."""
    return place.local_name(current_language()) if place is not None else ""


def register_locale(app: Flask) -> None:
    app.before_request(remember_requested_language)
    app.after_request(set_language_cookie)
    app.jinja_env.globals.update(
        current_language=current_language,
        local_name=local_name,
        language_url=language_url,
        alternate_links=alternate_links,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        LANGUAGE_SHORT=LANGUAGE_SHORT,
    )
