"""Whole pages for visitors who are not signed in, shared for a few seconds.

    @bp.route("/")
    @for_visitors("CACHE_SEARCH_SECONDS", "search", vary=lambda: tuple(compared_ids()))
    def search(): ...

Most search traffic is anonymous and asks the same few pages (the newest cars, a popular
make and model) many times a second; rendering one costs tens of milliseconds of CPU. A
visitor who is not signed in gets the page another visitor got within the last few
seconds, from the shared cache (app/core/cache.py: Redis in production, so all web
processes share it), keyed by host, path and query, language and `vary()` (what else the
page shows that depends on the visitor, e.g. the comparison count from a cookie). The
feature invalidates the namespace when anything the page shows changes, so an edit shows at
once in every process; the period only bounds how often an unchanged page is rendered.

A page is fresh for that many seconds; after that, the first visitor to ask renders it
again while the others (in the same process) are given the previous one, so a page is at
most two periods old and is rendered once per period, not once per waiting client.

Only a page that is the same for every such visitor is shared: a GET without `?lang=` (it
sets a cookie), from a visitor whose session holds nothing the page shows (flashed
messages), answered 200 with no cookie set and no form token in it. Signed-in members
always get a fresh page. `budget` caps how many new pages are stored per period, so URLs
made up by a crawler (every price in a filter) cannot fill Redis.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from functools import wraps
from typing import Any

from flask import current_app, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user

from app.core import cache

# Session keys that never show on a page: the form token's secret (pages for visitors
# carry no token, which `shareable` checks) and Flask's own flag.
INVISIBLE_SESSION_KEYS = {"csrf_token", "_permanent"}


def for_visitors(seconds_setting: str, namespace: str, vary: Callable[[], Hashable] = tuple, budget: int = 200):
    """Decorate a view: visitors share its page for `config[seconds_setting]` seconds (0: off),
    or until `cache.invalidate(namespace)`: the feature retires it when what it shows changes."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args, **kwargs):
            seconds = current_app.config[seconds_setting]
            if seconds <= 0 or not same_for_every_visitor():
                return view(*args, **kwargs)
            key = ("page", request.host, request.full_path, str(get_locale()), vary())
            found = cache.lookup(namespace, key)
            if found.hit:
                fresh_until, body = found.value
                if time.time() < fresh_until or key in REFRESHING:
                    return current_app.response_class(body, mimetype="text/html")
            return render_and_keep(key, found, seconds, budget, lambda: view(*args, **kwargs))

        return wrapper

    return decorator


# Pages this process is rendering again now. While one request renders a page whose period
# is over, the others get the page of the period before instead of rendering it too: without
# this, every client that asked in the same instant rendered the page at once (eight
# renders in a row on one worker: a 100–500 ms stall every period under wrk -c8).
REFRESHING: set[tuple] = set()


def render_and_keep(key: tuple, found: cache.Lookup, seconds: int, budget: int, render: Callable[[], Any]):
    REFRESHING.add(key)
    try:
        response = make_response(render())
    finally:
        REFRESHING.discard(key)
    if shareable(response):
        # Kept for two periods: fresh for the first, the stand-in during a refresh after it.
        cache.keep(found, (time.time() + seconds, response.get_data()), 2 * seconds, budget)
    return response


def same_for_every_visitor() -> bool:
    """A GET from someone not signed in, not switching language, with nothing in their
    session that the page would show."""
    return (
        request.method == "GET"
        and "lang" not in request.args
        and not current_user.is_authenticated
        and set(session.keys()) <= INVISIBLE_SESSION_KEYS
    )


def shareable(response) -> bool:
    """A complete HTML page that sets no cookie and holds no form token."""
    return (
        response.status_code == 200
        and response.mimetype == "text/html"
        and not response.direct_passthrough
        and "Set-Cookie" not in response.headers
        and not session.modified
        and b'name="csrf_token"' not in response.get_data()
    )
