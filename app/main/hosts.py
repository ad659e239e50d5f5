"""Refusing requests for a Host the site does not serve.

The list is the ALLOWED_HOSTS config (SITE_URL's host, DOMAIN, the TRUSTED_HOSTS variable,
localhost outside production). Flask's own TRUSTED_HOSTS is left unset on purpose: its
check fails while Flask builds the request's URL adapter, so the error page it leads to
cannot build a URL and ends in a 500; and it cannot spare the health check. This WSGI guard
answers first, for pages and Socket.IO alike, with a plain 400. An unknown Host is never a
visitor's browser: it is a forged header or a misconfigured proxy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from werkzeug.sansio.utils import host_is_trusted
from werkzeug.wrappers import Response

# Health checks and the Prometheus scrape call the container by its own address or
# service name; they answer no links and set no cookies.
UNCHECKED_PATHS = frozenset({"/healthz", "/metrics"})


class TrustedHostGuard:
    """WSGI middleware: 400 for a Host header outside `trusted` (port ignored)."""

    def __init__(self, wsgi_app: Callable, trusted: Iterable[str] | None):
        self.wsgi_app = wsgi_app
        self.trusted = list(trusted or [])

    def __call__(self, environ: dict, start_response: Callable):
        if self.trusted and environ.get("PATH_INFO") not in UNCHECKED_PATHS:
            host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
            if not host_is_trusted(host, self.trusted):
                response = Response("Unknown host.\n", status=400, mimetype="text/plain")
                return response(environ, start_response)
        return self.wsgi_app(environ, start_response)
