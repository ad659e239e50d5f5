"""The shared cache across processes (issue 18 item 3): two real gunicorn processes with one
Redis cache, as two web containers run. What one process (or `flask catalog load` in a
third) changes, the other shows on its very next page, though both keep the forum's lists
and the catalogue's options in the cache; and a Redis that is down only turns the cache
off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest
import redis
import requests
from sqlalchemy import select

from app.extensions import db
from app.models import Post
from scripts.verify_deploy import hidden_fields
from tests import factories
from tests.chat.live import sign_in
from tests.chat.test_live import QueueServer, start_two_queue_servers
from tests.conftest import ROOT, TMP, assert_no_traceback, free_port, server_env
from tests.forum.helpers import make_topic
from tests.listings.helpers import listing_fields

pytestmark = pytest.mark.live
REDIS = f"redis://127.0.0.1:6379/{1 + os.getpid() % 15}"


@pytest.fixture
def shared_cache():
    """(environment, first server, second server): a key prefix of this run's own, so
    parallel runs and leftovers of earlier ones (same ids, other rows) never meet."""
    env = {
        "CACHE_REDIS_URL": REDIS,
        "CACHE_KEY_PREFIX": f"test-cache-{uuid.uuid4().hex}:",
        "CACHE_FORUM_SECONDS": "300",  # far longer than the test: only invalidation can explain a fresh page
        "CACHE_CATALOG_SECONDS": "300",
    }
    first, second = start_two_queue_servers(REDIS, "shared-cache-test", **env)
    yield env, first, second
    first.stop()
    second.stop()
    assert_no_traceback(first)
    assert_no_traceback(second)
    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(match=env["CACHE_KEY_PREFIX"] + "*"):
        client.delete(key)


def visitor() -> requests.Session:
    http = requests.Session()
    http.headers["Accept-Language"] = "en"
    return http


def page(http: requests.Session, url: str) -> str:
    response = http.get(url, timeout=10)
    assert response.status_code == 200, url
    return response.text


def post_form(http: requests.Session, url: str, data: dict) -> requests.Response:
    fields = hidden_fields(page(http, url))
    return http.post(url, data={**fields, **data}, headers={"Referer": url}, allow_redirects=False, timeout=10)


def test_a_forum_edit_through_one_process_shows_at_once_on_the_other(shared_cache):
    _, first, second = shared_cache
    author = factories.make_user("aigerim")
    topic = make_topic(author, title="Shared cache topic", body="Original wording")
    post = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    topic_url, category_url = f"/forum/t/{topic.id}", f"/forum/c/{topic.category.slug}"
    reader = visitor()
    for server in (first, second):
        assert "Original wording" in page(reader, server.url + topic_url)
        assert "Shared cache topic" in page(reader, server.url + category_url)
    # Changed behind the services' backs (no invalidation): both processes still serve the
    # cached lists, so what follows is the invalidation at work, not a cache miss.
    post.body_html = "<p>Sneaky wording</p>"
    topic.title = "Sneaky title"
    db.session.commit()
    for server in (second, first):
        assert "Original wording" in page(reader, server.url + topic_url)
        assert "Shared cache topic" in page(reader, server.url + category_url)

    editor = visitor()
    sign_in(first.url, "aigerim", factories.DEFAULT_PASSWORD, editor)
    edit = f"{first.url}/forum/p/{post.id}/edit"
    saved = post_form(editor, edit, {"title": "Edited cache topic", "body": "Better wording"})
    assert saved.status_code == 302
    for server in (second, first):
        html = page(reader, server.url + topic_url)
        assert "Better wording" in html and "Original wording" not in html
        assert "Edited cache topic" in page(reader, server.url + category_url)


def test_a_catalogue_load_shows_at_once_in_every_process(shared_cache):
    env, first, second = shared_cache
    factories.make_catalog()
    reader = visitor()
    for server in (first, second):
        html = page(reader, server.url + "/listings/")
        assert ">Lada<" in html and "Moskvich" not in html  # the filter form, now cached

    data = TMP / "catalogue-update"
    data.mkdir(exist_ok=True)
    makes = {
        "makes": [{"name": "Moskvich", "country": "Russia", "popular": True, "models": {"3": [["I", 2022, None]]}}]
    }
    (data / "makes.json").write_text(json.dumps(makes))
    (data / "locations.json").write_text(json.dumps({"regions": [{"name": "Almaty", "cities": ["Almaty"]}]}))
    environment = server_env(FLASK_CONFIG="development", FLASK_APP="app", **env)
    loaded = subprocess.run(
        [sys.executable, "-m", "flask", "catalog", "load", "--data-dir", str(data)],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr
    for server in (first, second):
        assert ">Moskvich<" in page(reader, server.url + "/listings/")


def test_a_listing_edited_through_one_process_shows_in_search_on_the_other(shared_cache):
    _, first, second = shared_cache
    seller = factories.make_user("seller")
    listing = factories.make_listing(seller, status="active")
    reader = visitor()
    assert "12,500,000" in page(reader, second.url + "/listings/?brand=" + str(listing.brand_id))
    http = visitor()
    sign_in(first.url, "seller", factories.DEFAULT_PASSWORD, http)
    edit = f"{first.url}/listings/{listing.id}/edit"
    saved = post_form(http, edit, listing_fields(price=9_900_000))
    assert saved.status_code == 302, saved.text[:500]
    html = page(reader, second.url + "/listings/?brand=" + str(listing.brand_id))
    assert "9,900,000" in html and "12,500,000" not in html


def test_pages_render_while_the_cache_redis_is_down(app):
    factories.make_catalog()
    author = factories.make_user("aigerim")
    topic = make_topic(author, body="Still readable")
    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    server = QueueServer(FLASK_CONFIG="development", SECRET_KEY="dead-cache-test", CACHE_REDIS_URL=dead)
    try:
        reader = visitor()
        for _ in range(2):
            assert "Still readable" in page(reader, f"{server.url}/forum/t/{topic.id}")
            assert ">Lada<" in page(reader, server.url + "/listings/")
    finally:
        server.stop()
    assert_no_traceback(server)
