"""Observability: Prometheus metrics at /metrics and one log line per request.

- `REQUEST_LATENCY`: a histogram of request durations labelled by endpoint (the Flask
  endpoint name, never the raw path, so the label set stays small), method and status.
- `SOCKETS_OPEN`: Socket.IO connections open on this process, read from the Socket.IO
  server when Prometheus scrapes (nothing to call from the chat code).
- `MESSAGES_SENT`: chat messages stored and emitted; the chat code calls
  `MESSAGES_SENT.inc()` after the commit.

Every request gets a request id: the `X-Request-ID` header nginx sends (when it looks
sane) or a fresh one. It is echoed in the response header and written in the access line
`request_id=... method=... path=... status=... duration_ms=...` on the `garage.access` logger.

`/metrics` answers only requests that did not come through the proxy (Prometheus scrapes
the web containers directly on the internal network); anything carrying
`X-Forwarded-For` is refused with 404, and nginx denies the path as well.
Metrics are per process: with one gunicorn worker per container (docs/architecture.md), every
container is its own scrape target.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, abort, g, request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram, generate_latest

from app.extensions import limiter, socketio

REQUEST_LATENCY = Histogram(
    "garage_http_request_duration_seconds",
    "Time spent answering HTTP requests, by Flask endpoint.",
    ["endpoint", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
SOCKETS_OPEN = Gauge("garage_socketio_connections", "Socket.IO connections open on this process.")
MESSAGES_SENT = Counter("garage_chat_messages_sent", "Chat messages stored and delivered.")

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{8,128}$")
access_log = logging.getLogger("garage.access")


def count_open_sockets() -> int:
    """Connected Socket.IO clients on the default namespace of this process."""
    server = socketio.server
    if server is None:
        return 0
    try:
        return len(server.manager.rooms.get("/", {}).get(None, {}))
    except (AttributeError, TypeError):  # a future python-socketio may keep rooms elsewhere
        return 0


SOCKETS_OPEN.set_function(count_open_sockets)


def incoming_request_id() -> str:
    """The proxy's request id when it is well-formed, else a new random one."""
    given = request.headers.get(REQUEST_ID_HEADER, "")
    return given if REQUEST_ID_PATTERN.match(given) else uuid.uuid4().hex


def start_timer() -> None:
    g.request_started = time.perf_counter()
    g.request_id = incoming_request_id()


def record_request(response: Response) -> Response:
    """Observe the latency, stamp the request id and write the access line."""
    started = g.pop("request_started", None)
    if started is None:  # a request that failed before before_request ran
        return response
    duration = time.perf_counter() - started
    endpoint = request.endpoint or "unmatched"
    REQUEST_LATENCY.labels(endpoint, request.method, str(response.status_code)).observe(duration)
    request_id = g.get("request_id", "")
    response.headers.setdefault(REQUEST_ID_HEADER, request_id)
    access_log.info(
        "request_id=%s method=%s path=%s status=%s duration_ms=%.1f ip=%s",
        request_id,
        request.method,
        request.path,
        response.status_code,
        duration * 1000,
        request.remote_addr,
    )
    return response


def metrics() -> Response:
    """Prometheus text format; refused (404) to anything that came through the proxy."""
    if "X-Forwarded-For" in request.headers:
        abort(404)
    return Response(generate_latest(REGISTRY), mimetype=CONTENT_TYPE_LATEST)


def register(app: Flask) -> None:
    """Bind the request hooks and the /metrics endpoint to the app."""
    app.before_request(start_timer)
    app.after_request(record_request)
    app.add_url_rule("/metrics", "metrics", limiter.exempt(metrics))
