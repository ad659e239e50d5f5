"""Static assets: fingerprinted URLs with a year-long cache, compression, the icon subset.

- Every `url_for("static" | "bootstrap.static", filename=...)` — ours in templates and
  bootstrap-flask's own `load_css()`, `load_js()` and `render_icon()` — gets `?v=<hash>`,
  the first 12 hex digits of the file's SHA-256, computed once per file and process.
- A static answer whose `v` matches the file's hash is cached for a year
  (`Cache-Control: public, max-age=31536000, immutable`): a new file is a new URL. A
  missing or stale `v` gets Flask's default (revalidate every time), so nothing old sticks.
- Flask-Compress compresses pages, CSS, JS and SVG when the app is the front server
  (development, tests); behind nginx (production) nginx does it (COMPRESS_IN_APP=0).
- bootstrap-flask's `render_icon()` points at its bootstrap-icons.svg (1.1 MB, ~2,000
  icons). That URL answers with app/static/icons/sprite.svg instead: the icons the
  site uses, written by `scripts/build_icon_sprite.py` (tests/main/test_assets.py fails
  when a template uses an icon the sprite lacks).
"""

from __future__ import annotations

import hashlib
import os

from flask import Flask, request
from flask_compress import Compress
from werkzeug.security import safe_join

STATIC_ENDPOINTS = ("static", "bootstrap.static")
LONG_CACHE = "public, max-age=31536000, immutable"
BOOTSTRAP_SPRITE = "icons/bootstrap-icons.svg"
SPRITE = "icons/sprite.svg"  # under app/static

compress = Compress()


class Fingerprints:
    """Content hashes of static files, keyed by (endpoint, filename); one read per file."""

    def __init__(self, app: Flask):
        self.app = app
        self.hashes: dict[tuple[str, str], str | None] = {}

    def path(self, endpoint: str, filename: str) -> str | None:
        if endpoint == "bootstrap.static" and filename == BOOTSTRAP_SPRITE:
            endpoint, filename = "static", SPRITE
        if endpoint == "static":
            folder = self.app.static_folder
        else:
            folder = self.app.blueprints[endpoint.rsplit(".", 1)[0]].static_folder
        return safe_join(folder, filename) if folder else None

    def get(self, endpoint: str, filename: str) -> str | None:
        key = (endpoint, filename)
        if key not in self.hashes or self.app.debug:  # debug: files change under the server
            self.hashes[key] = self.compute(endpoint, filename)
        return self.hashes[key]

    def compute(self, endpoint: str, filename: str) -> str | None:
        path = self.path(endpoint, filename)
        if not path or not os.path.isfile(path):
            return None
        with open(path, "rb") as file:
            return hashlib.sha256(file.read()).hexdigest()[:12]


def register(app: Flask) -> None:
    """Fingerprint static URLs, cache them long, compress, and serve the icon subset."""
    fingerprints = Fingerprints(app)

    @app.url_defaults
    def add_fingerprint(endpoint: str, values: dict) -> None:
        if endpoint in STATIC_ENDPOINTS and "v" not in values and values.get("filename"):
            digest = fingerprints.get(endpoint, values["filename"])
            if digest:
                values["v"] = digest

    @app.after_request
    def cache_fingerprinted(response):
        if request.endpoint in STATIC_ENDPOINTS and response.status_code in (200, 304):
            filename = (request.view_args or {}).get("filename", "")
            version = request.args.get("v")
            if version and version == fingerprints.get(request.endpoint, filename):
                response.headers["Cache-Control"] = LONG_CACHE
                response.headers.pop("Expires", None)
        return response

    serve_icon_subset(app)
    if app.config.get("COMPRESS_IN_APP", True):
        compress.init_app(app)


def serve_icon_subset(app: Flask) -> None:
    """bootstrap-flask's sprite URL answers with the site's own small sprite."""
    package_view = app.view_functions["bootstrap.static"]

    def bootstrap_static(filename: str):
        if filename == BOOTSTRAP_SPRITE:
            return app.send_static_file(SPRITE)
        return package_view(filename=filename)

    app.view_functions["bootstrap.static"] = bootstrap_static
