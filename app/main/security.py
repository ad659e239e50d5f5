"""Per-request hooks: security headers, last-seen time."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, request
from flask_login import current_user

from app.core.time import utcnow
from app.extensions import db

# No inline script anywhere: every script is a file under /static.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self' ws: wss:",
        "object-src 'none'",
        "base-uri 'none'",  # no <base> tag can re-point relative links and form actions
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
LAST_SEEN_EVERY = timedelta(minutes=5)


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def touch_last_seen():
    """Record activity at most every few minutes, so a page view rarely writes."""
    if not current_user.is_authenticated or request.endpoint in (None, "static", "main.uploads"):
        return
    now = utcnow()
    if current_user.last_seen_at is None or now - current_user.last_seen_at > LAST_SEEN_EVERY:
        current_user.last_seen_at = now
        db.session.commit()


def register(app: Flask) -> None:
    app.after_request(set_security_headers)
    app.before_request(touch_last_seen)
