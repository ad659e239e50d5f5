"""Forged Host headers: links in mails come from SITE_URL, unknown hosts are refused.

The attack: ask a reset link for someone else's address with `Host: evil.example` (or
`X-Forwarded-Host: evil.example`), hoping the mail sends the victim to the attacker's site
with a valid token. The production stack is checked on a real gunicorn server started with
FLASK_CONFIG=production (ProxyFix on, `__Host-` cookies)."""

from __future__ import annotations

import re
import time

import pytest
import requests
import socketio

from app.notifications.email import outbox
from config import ProductionConfig, trusted_hosts
from tests.conftest import TMP, LiveServer, csrf_token, free_port
from tests.factories import make_user


def ask_reset(client, email: str, **request_options):
    token = csrf_token(client, "/auth/reset")
    return client.post("/auth/reset", data={"email": email, "csrf_token": token}, **request_options)


def test_a_reset_asked_with_a_forged_host_is_refused_and_mails_nothing(client, user):
    outbox.clear()
    client.get("/auth/reset")  # the session and CSRF token, from the real site
    response = client.post("/auth/reset", data={"email": "buyer@example.com"}, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "Unknown host" in response.get_data(as_text=True)
    assert outbox == []


@pytest.mark.parametrize("header", ["X-Forwarded-Host", "X-Host", "Forwarded"])
def test_a_forwarded_host_header_never_reaches_the_reset_link(client, user, header):
    outbox.clear()
    value = "host=evil.example" if header == "Forwarded" else "evil.example"
    response = ask_reset(client, "buyer@example.com", headers={header: value})
    assert response.status_code == 302
    body = outbox[-1].get_content()
    assert "evil.example" not in body
    assert re.search(r"http://localhost:5000/auth/reset/\S+", body)


def test_the_reset_link_comes_from_site_url_whatever_trusted_host_was_used(client, user):
    outbox.clear()
    base = "http://127.0.0.1:8123"
    html = client.get("/auth/reset", base_url=base).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    client.post("/auth/reset", data={"email": "buyer@example.com", "csrf_token": token}, base_url=base)
    assert "http://localhost:5000/auth/reset/" in outbox[-1].get_content()
    assert "127.0.0.1" not in outbox[-1].get_content()


def test_the_confirmation_and_taken_address_mails_link_to_site_url(app, db):
    make_user("first", email="taken@example.com")
    outbox.clear()
    for email in ("fresh@example.com", "taken@example.com"):
        client = app.test_client()  # a new visitor each time: sign-up signs the first one in
        token = csrf_token(client, "/auth/register")
        client.post(
            "/auth/register",
            data={"username": email[:5] + "user", "email": email, "password": "quiet-harbour-71",
                  "confirm": "quiet-harbour-71", "csrf_token": token},
            headers={"X-Forwarded-Host": "evil.example"},
        )  # fmt: skip
    bodies = [message.get_content() for message in outbox]
    assert len(bodies) == 2
    assert all("http://localhost:5000/auth/" in body and "evil.example" not in body for body in bodies)


def test_trusted_hosts_come_from_site_url_and_domain():
    assert trusted_hosts("https://garage.kz", "garage.kz", local=False) == ["garage.kz"]
    assert trusted_hosts("https://www.garage.kz:8443", "garage.kz", local=True) == [
        "www.garage.kz",
        "garage.kz",
        "localhost",
        "127.0.0.1",
    ]
    assert ProductionConfig.PROXY_FIX_X_HOST == 0
    assert "localhost" not in ProductionConfig.ALLOWED_HOSTS or ProductionConfig.DOMAIN == "localhost"


def test_production_cookies_carry_the_host_prefix():
    assert ProductionConfig.SESSION_COOKIE_NAME == "__Host-session"
    assert ProductionConfig.REMEMBER_COOKIE_NAME == "__Host-remember_token"
    assert ProductionConfig.SESSION_COOKIE_PATH == ProductionConfig.REMEMBER_COOKIE_PATH == "/"
    assert ProductionConfig.SESSION_COOKIE_DOMAIN is None and ProductionConfig.REMEMBER_COOKIE_DOMAIN is None


def test_csp_forbids_base_tags(client, db):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "base-uri 'none'" in policy


# --- the production configuration on a real server ------------------------------------


@pytest.fixture(scope="module")
def production_server(app):
    port = free_port()
    server = LiveServer(
        port=port,
        FLASK_CONFIG="production",
        SECRET_KEY="production-like-secret-for-tests",
        SITE_URL=f"http://127.0.0.1:{port}",
        DOMAIN="127.0.0.1",
        LOG_LEVEL="INFO",  # mails go to the log (no MAIL_SERVER): the test reads the link there
    )
    yield server
    server.stop()


def server_log(server: LiveServer) -> str:
    server.log.flush()
    return (TMP / f"server-{server.port}.log").read_text()


def cookie_header(http: requests.Session) -> str:
    """Secure cookies are not sent back over plain HTTP by requests; a proxy in front of
    the server would carry them over HTTPS. Send them by hand."""
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


def form_post(http: requests.Session, server: LiveServer, path: str, data: dict, **headers) -> requests.Response:
    html = http.get(server.url + path, headers={"Cookie": cookie_header(http)}, timeout=10).text
    data["csrf_token"] = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    headers = {"Cookie": cookie_header(http), **headers}
    return http.post(server.url + path, data=data, headers=headers, allow_redirects=False, timeout=10)


@pytest.mark.live
def test_production_refuses_a_forged_host_and_mails_site_url_links(production_server):
    make_user("victim", email="victim@example.com")
    forged = requests.post(
        production_server.url + "/auth/reset", headers={"Host": "evil.example"}, data={"email": "x@y.z"}, timeout=10
    )
    assert forged.status_code == 400
    http = requests.Session()
    response = form_post(
        http, production_server, "/auth/reset", {"email": "victim@example.com"}, **{"X-Forwarded-Host": "evil.example"}
    )
    assert response.status_code == 302
    deadline = time.monotonic() + 10
    while "mail to victim@example.com" not in server_log(production_server) and time.monotonic() < deadline:
        time.sleep(0.1)
    log = server_log(production_server)
    links = re.findall(r"https?://\S+/auth/reset/\S+", log)
    assert links and all(link.startswith(production_server.url + "/auth/reset/") for link in links)
    assert "evil.example/auth" not in log


@pytest.mark.live
def test_production_answers_health_checks_by_any_name_and_nothing_else(production_server):
    for host in ("web:8000", f"127.0.0.1:{production_server.port}"):
        health = requests.get(production_server.url + "/healthz", headers={"Host": host}, timeout=10)
        assert health.status_code == 200, host  # the container's own check, Prometheus by service name
    page = requests.get(production_server.url + "/auth/login", headers={"Host": "web:8000"}, timeout=10)
    assert page.status_code == 400 and page.text == "Unknown host.\n"
    assert "Traceback" not in server_log(production_server)


@pytest.mark.live
def test_production_session_cookie_is_host_prefixed_and_read_by_socketio(production_server):
    make_user("driver", password="quiet-harbour-71")
    http = requests.Session()
    credentials = {"login": "driver", "password": "quiet-harbour-71", "remember": "y"}
    response = form_post(http, production_server, "/auth/login", credentials)
    assert response.status_code == 302
    set_cookies = response.raw.headers.getlist("Set-Cookie")
    for name in ("__Host-session=", "__Host-remember_token=", "__Host-device="):
        cookie = next(c for c in set_cookies if c.startswith(name))
        attributes = [part.strip().lower() for part in cookie.split(";")[1:]]
        assert "secure" in attributes and "httponly" in attributes and "path=/" in attributes, cookie
        assert not any(part.startswith("domain=") for part in attributes), cookie
    page = http.get(production_server.url + "/settings", headers={"Cookie": cookie_header(http)}, timeout=10)
    assert page.status_code == 200
    client = socketio.Client(reconnection=False)
    client.connect(production_server.url, headers={"Cookie": cookie_header(http)}, wait_timeout=10)
    try:
        assert client.connected
    finally:
        client.disconnect()
    anonymous = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        anonymous.connect(production_server.url, wait_timeout=10)
