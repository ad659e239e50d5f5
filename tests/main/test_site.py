"""Site-wide behaviour: health check, security headers, error pages, local assets."""

import re

import pytest

from tests.factories import make_user


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_security_headers_on_pages(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize("path", ["/", "/auth/login", "/auth/register", "/u/someone", "/nowhere"])
def test_no_inline_script_and_no_cdn(app, client, db, path):
    make_user("someone")
    html = client.get(path).get_data(as_text=True)
    # JSON data blocks (the page's translations) are never executed; code is.
    assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", html), "inline <script> found"
    assert not re.search(r"\son[a-z]+=\"", html), "inline event handler found"
    own_site = app.config["SITE_URL"] + "/"  # hreflang alternates are absolute
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http://", "https://", "//")) or url.startswith(own_site) or "example" in url, url


def test_bootstrap_is_served_locally(client):
    html = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/bootstrap/static/[^"]+\.css\?v=[0-9a-f]{12})"', html).group(1)
    js = re.search(r'src="(/bootstrap/static/[^"]+\.js\?v=[0-9a-f]{12})"', html).group(1)
    assert client.get(css).status_code == 200 and client.get(js).status_code == 200


def test_404_page_in_site_style(client):
    response = client.get("/no/such/page")
    body = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Page not found" in body and "navbar" in body


def test_errors_answer_json_to_json_clients(client):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.get_json()["error"] == "Page not found"


def test_405_keeps_werkzeug_default(client, db):
    assert client.get("/auth/logout").status_code == 405


@pytest.mark.logs_errors("a view that raises, to see the 500 page")
def test_500_page_rolls_back_and_renders(app):
    from app import create_app
    from tests.conftest import Config

    fresh = create_app(Config)

    @fresh.route("/boom-for-test")
    def boom():
        raise RuntimeError("boom")

    response = fresh.test_client().get("/boom-for-test")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)


def test_every_form_field_has_a_label(client, auth, db):
    make_user("buyer")
    pages = ["/auth/login", "/auth/register", "/auth/reset"]
    auth.login()
    pages += ["/settings", "/auth/password"]
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html)
        for field_id in ids:
            if (
                field_id in ("csrf_token",)
                or re.search(rf'id="{field_id}"[^>]*type="(hidden|submit)"', html)
                or re.search(rf'type="(hidden|submit)"[^>]*id="{field_id}"', html)
            ):
                continue
            assert f'for="{field_id}"' in html, f"{path}: #{field_id} has no <label>"


@pytest.mark.parametrize(
    "path",
    [
        "/listings/99999999999999999999",
        "/forum/t/99999999999999999999",
        "/forum/p/2147483648",
        "/catalog/brands/99999999999999999999/models",
        "/report/listing/99999999999999999999",
    ],
)
def test_ids_beyond_the_database_range_are_404_not_500(client, path):
    assert client.get(path).status_code == 404
