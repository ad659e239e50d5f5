"""/metrics in Prometheus format and the per-request access line with a request id."""

from __future__ import annotations

import logging
import re

from tests import factories


def metric_value(text: str, line_start: str) -> float:
    for line in text.splitlines():
        if line.startswith(line_start):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{line_start} not in metrics")


def test_metrics_show_latency_by_endpoint(client):
    client.get("/")
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert metric_value(text, 'garage_http_request_duration_seconds_count{endpoint="main.index",method="GET"') >= 1
    assert 'garage_http_request_duration_seconds_bucket{endpoint="main.index",le="0.005"' in text
    assert metric_value(text, 'garage_http_request_duration_seconds_count{endpoint="main.healthz"') >= 1
    assert "garage_chat_messages_sent_total" in text
    assert "garage_socketio_connections" in text


def test_metrics_refused_through_the_proxy(client):
    response = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.status_code == 404


def test_open_sockets_are_counted(client, auth, socketio_client):
    factories.make_user("buyer")
    auth.login()
    before = metric_value(client.get("/metrics").get_data(as_text=True), "garage_socketio_connections ")
    sio = socketio_client()
    assert sio.is_connected()
    during = metric_value(client.get("/metrics").get_data(as_text=True), "garage_socketio_connections ")
    sio.disconnect()
    after = metric_value(client.get("/metrics").get_data(as_text=True), "garage_socketio_connections ")
    assert (before, during, after) == (before, before + 1, before)


def test_request_id_is_honoured_and_logged(client, caplog):
    with caplog.at_level(logging.INFO, logger="garage.access"):
        response = client.get("/healthz", headers={"X-Request-ID": "abc123def456"})
    assert response.headers["X-Request-ID"] == "abc123def456"
    lines = [r.getMessage() for r in caplog.records if r.name == "garage.access"]
    assert any(
        re.fullmatch(r"request_id=abc123def456 method=GET path=/healthz status=200 duration_ms=\d+\.\d ip=\S+", line)
        for line in lines
    ), lines


def test_malformed_request_id_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])
    other = client.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", other.headers["X-Request-ID"])
    assert other.headers["X-Request-ID"] != response.headers["X-Request-ID"]
