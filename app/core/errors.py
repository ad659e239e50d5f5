"""Error pages in the site's style, for every feature (`render_error`); JSON for API and XHR
clients."""

from __future__ import annotations

import contextlib
import time
from datetime import timedelta

from flask import Flask, current_app, g, render_template, request
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from socketio.exceptions import ConnectionRefusedError  # what flask_socketio re-exports
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from app.extensions import db, limiter, login_manager, socketio

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Check the form and try again.")),
    403: (_l("Not allowed"), _l("You do not have permission to do that.")),
    404: (_l("Page not found"), _l("There is nothing here. The page may have been removed or never existed.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("File too large"), _l("The upload is larger than the site accepts. Choose a smaller file.")),
    429: (_l("Too many requests"), _l("You are going too fast. Wait a little and try again.")),
    500: (_l("Something went wrong"), _l("An error on our side. It has been logged; try again in a moment.")),
    503: (
        _l("The site is busy"),
        _l("We could not reach our database for a moment. Nothing was lost; try again in a few seconds."),
    ),
}
# Seconds a client is asked to wait after a 503 (the Retry-After header).
RETRY_AFTER = 5


# Paths that only ever answer JSON: their errors are JSON whatever the Accept header says.
JSON_PATHS = ("/api/", "/catalog/")


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.path.startswith(JSON_PATHS) or (best == "application/json" and request.accept_mimetypes[best] > 0.9)


def render_error(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    detail = detail or str(message)
    if wants_json():
        return {"error": str(title), "message": detail}, code
    return render_template("errors/error.html", code=code, title=title, message=detail), code


def wait_message() -> str:
    """What a Flask-Limiter 429 tells the person: when the limit they hit resets."""
    current = limiter.current_limit
    if current is None or not current.breached:
        return str(_l("Too many attempts. Wait a minute and try again."))
    wait = timedelta(seconds=max(1, current.reset_at - time.time()))
    when = format_timedelta(wait, add_direction=True, threshold=0.9)
    return str(_l("Too many attempts. Try again %(when)s.", when=when))


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400, str(_l("The form has expired or was not sent from this site. Reload the page and try again."))
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if code not in MESSAGES:
            return error
        detail = None
        if code == 429:
            own_message = isinstance(error, RateLimitExceeded) and error.limit.error_message
            detail = error.description if own_message else wait_message()
        elif code in (400, 403) and error.description and error.description != type(error).description:
            detail = error.description  # a message chosen by our own code
        return render_error(code, detail)

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        if database_unavailable(error):
            return unavailable_page(app, error)
        db.session.rollback()
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)

    # Runs before Flask-SQLAlchemy's own teardown (registered earlier, called later).
    app.teardown_appcontext(end_session)

    @socketio.on_error_default
    def socket_error(error: BaseException):
        """Any failure in a Socket.IO handler answers an error ack instead of none (a
        refused connect stays a refusal)."""
        if isinstance(error, ConnectionRefusedError):
            raise error
        forget_session()
        if database_unavailable(error):
            app.logger.warning("database unavailable during a socket event: %s", first_line(error))
            return {"ok": False, "error": without_database(lambda: _("The site is busy. Try again in a few seconds."))}
        app.logger.exception("unhandled error in a socket event")
        return {"ok": False, "error": str(MESSAGES[500][1])}


def database_unavailable(error: BaseException) -> bool:
    """A lost or refused database connection, a locked database or an exhausted pool: the
    request may succeed a moment later, so it is a 503, not a 500."""
    if isinstance(error, PoolTimeout | OperationalError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def end_session(_error: BaseException | None = None) -> None:
    """End the request's session. A connection the database has dropped cannot even roll
    back; that must not turn a request already answered into a 500, so the session is
    forgotten (the pool has invalidated the connection) and the next request starts clean."""
    try:
        db.session.remove()
    except Exception as error:  # noqa: BLE001 (psycopg2's own errors surface here unwrapped)
        db.session.registry.clear()
        current_app.logger.warning("database connection lost while closing a session: %s", first_line(error))


def first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def forget_session() -> None:
    """Roll back the request's session; a dead connection is discarded by the pool
    (SQLAlchemy invalidates it, and every older one, on a disconnect error), so the next
    request gets a fresh one."""
    with contextlib.suppress(SQLAlchemyError):
        db.session.rollback()


def without_database(render):
    """`render()`, and if it needed the database (the member's language, the navbar) and
    the database is still away: again as for a visitor, who needs nothing from it."""
    try:
        return render()
    except SQLAlchemyError:
        forget_session()
    g._login_user = login_manager.anonymous_user()
    return render()


def unavailable_page(app: Flask, error: BaseException):
    """The 503 page with Retry-After. The navbar's counters are skipped; when even the
    signed-in user cannot be read back, the page is drawn as for a visitor."""
    app.logger.warning("database unavailable on %s %s: %s", request.method, request.path, first_line(error))
    forget_session()
    g.database_unavailable = True
    headers = {"Retry-After": str(RETRY_AFTER)}
    try:
        return *without_database(lambda: render_error(503)), headers
    except SQLAlchemyError:
        forget_session()
        return str(MESSAGES[503][1]), 503, headers
