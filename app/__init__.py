"""Garage: the application factory.

`create_app()` is a list of small steps; nothing reads configuration at import time.
"""

from __future__ import annotations

import logging
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from app import observability
from app.inputs import CleanRequest, PathConverter, PathSegmentConverter, read_json_forms_as_text
from config import CONFIGS, Config, ProductionConfig


def create_app(config: type[Config] | str | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.request_class = CleanRequest  # every query argument, form field and JSON value cleaned
    read_json_forms_as_text()  # a JSON body fills a form with its text values only
    config_class = resolve_config(config)
    if config_class is ProductionConfig:
        ProductionConfig.check()
    app.config.from_object(config_class)
    os.makedirs(app.instance_path, exist_ok=True)
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)
    logging.basicConfig(level=app.config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    register_extensions(app)
    register_features(app)
    register_errorhandlers(app)
    register_commands(app)
    register_i18n(app)
    register_assets(app)
    register_request_hooks(app)
    observability.register(app)  # /metrics and the per-request access line
    wrap_wsgi(app)
    return app


def wrap_wsgi(app: Flask) -> None:
    """Outside Flask and Socket.IO: refuse unknown Host headers, then (outermost) read
    nginx's forwarded address and scheme. The forwarded host is trusted only when
    PROXY_FIX_X_HOST says so; the Host check then applies to it."""
    from app.main.hosts import TrustedHostGuard

    app.wsgi_app = TrustedHostGuard(app.wsgi_app, app.config["ALLOWED_HOSTS"])  # type: ignore[method-assign]
    if app.config["PROXY_FIX"]:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=1, x_proto=1, x_host=app.config["PROXY_FIX_X_HOST"]
        )


def resolve_config(config: type[Config] | str | None) -> type[Config]:
    if config is None:
        config = os.environ.get("FLASK_CONFIG", "development")
    if isinstance(config, str):
        return CONFIGS[config]
    return config


def register_extensions(app: Flask) -> None:
    from app.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate, socketio

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True)  # batch mode: ALTER on SQLite
    csrf.init_app(app)
    bootstrap.init_app(app)
    from app.i18n.locale import select_locale, select_timezone

    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    login_manager.init_app(app)
    from app.core.realtime import channel_for, make_client_manager

    queue_options = {}
    channel = app.config["SOCKETIO_CHANNEL"] = channel_for(app.config)
    if manager := make_client_manager(app.config["SOCKETIO_MESSAGE_QUEUE"], channel):
        queue_options["client_manager"] = manager  # can disconnect a user on every worker
    socketio.init_app(
        app,
        async_mode=app.config.get("SOCKETIO_ASYNC_MODE") or choose_async_mode(),
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        channel=channel,
        ping_interval=app.config["SOCKETIO_PING_INTERVAL"],
        ping_timeout=app.config["SOCKETIO_PING_TIMEOUT"],
        # one client's events in order: two quick sends are stored and emitted alike
        async_handlers=False,
        **queue_options,
        # Same origin only (python-engineio's default); never "*".
        cors_allowed_origins=app.config.get("SOCKETIO_CORS_ORIGINS"),
        # The session is read once per socket (at connect) instead of decoding the signed
        # cookie on every event (12% of a chat worker's time); handlers never write to it
        # and re-check the session version themselves (app/chat/events.py).
        manage_session=True,
    )
    # Flask-SocketIO runs every event in a request context made from the socket's handshake
    # (GET /socket.io/). With no rule for that path, Flask raised and kept a NotFound per
    # event whose traceback closed a reference cycle through the context: ~60 objects of
    # cyclic garbage a message, and full collections that stopped a 1,000-socket worker for
    # 75-125 ms every few seconds (docs/performance.md). Engine.IO answers the path before
    # Flask does, so this view only ever gives the URL map a match (one rule for the
    # WebSocket handshake, one for long-polling).
    for websocket in (True, False):
        app.add_url_rule(
            "/socket.io/", "socketio_handshake", socketio_handshake, websocket=websocket, strict_slashes=False
        )


def socketio_handshake():
    """Never reached over HTTP (Engine.IO takes /socket.io/ first); a 404 if it ever is."""
    from flask import abort

    abort(404)


def choose_async_mode() -> str:
    """gevent when the process is monkey-patched (gunicorn -k gevent, run.py), else threads."""
    try:
        from gevent import monkey

        if monkey.is_module_patched("socket"):
            return "gevent"
    except ImportError:
        pass
    return "threading"


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in every route: a number past PostgreSQL's integer range is a 404, not a
    database error (an id like /listings/99999999999999999999 used to raise a 500)."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        from app.models import MAX_ID

        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max or MAX_ID, signed=signed)


def register_features(app: Flask) -> None:
    """The core, then each feature wires itself in (blueprints, template helpers, navbar
    counters, moderation targets, Socket.IO events, demo loaders) — nothing is registered by
    importing a module. `flask seed` runs the demo loaders in this order: the catalogue
    before the listings (demo cars need makes and cities), the listings before the forum and
    the chat (their demos show listing cards)."""
    app.url_map.converters["int"] = DatabaseIdConverter
    app.url_map.converters.update(default=PathSegmentConverter, string=PathSegmentConverter, path=PathConverter)
    from app import (
        admin,
        auth,
        catalog,
        chat,
        core,
        forum,
        listings,
        main,
        notifications,
        payments,
        profile,
        seo,
        support,
    )

    core.init_app(app)
    for feature in (main, auth, profile, catalog, listings, forum, chat, notifications, payments, support, admin, seo):
        feature.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from app.core.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from app.cli import register

    register(app)


def register_i18n(app: Flask) -> None:
    from app import i18n

    i18n.register(app)  # languages, formats and the JavaScript strings


def register_assets(app: Flask) -> None:
    from app.main.assets import register

    register(app)


def register_request_hooks(app: Flask) -> None:
    from app.main.security import register

    register(app)
