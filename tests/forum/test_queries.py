"""The topic page's number of SQL statements does not grow with its number of posts."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core import cache
from app.extensions import db
from app.models import Post
from tests.forum.helpers import make_topic, make_user, post_form, reply
from tests.queries import count_statements


@pytest.mark.parametrize("signed_in", [False, True])
def test_topic_page_query_count_is_constant(client, auth, signed_in):
    authors = [make_user(name) for name in ("aigerim", "daniyar", "autohouse", "marat")]
    small = make_topic(authors[0], title="Five posts", replies=4, repliers=authors)
    large = make_topic(authors[0], title="Twenty posts", replies=19, repliers=authors)
    if signed_in:
        auth.login("daniyar")
        client.get("/")  # last-seen bookkeeping happens once, not on the measured pages
    counts = {}
    for topic in (small, large):
        db.session.expire_all()
        with count_statements() as statements:
            response = client.get(f"/forum/t/{topic.id}")
        assert response.status_code == 200
        assert response.get_data(as_text=True).count('class="card mb-3 forum-post') == topic.post_count
        counts[topic.post_count] = len(statements)
    assert counts[5] == counts[20], counts
    assert counts[20] <= 10, counts


def test_category_and_index_query_counts_are_constant(client):
    author = make_user("aigerim")
    for number in range(3):
        make_topic(author, title=f"Topic {number}", replies=1)
    with count_statements() as few:
        client.get("/forum/c/buying-advice")
    for number in range(3, 20):
        make_topic(author, title=f"Topic {number}", replies=1)
    with count_statements() as many:
        client.get("/forum/c/buying-advice")
    assert len(few) == len(many)
    with count_statements() as index:
        client.get("/forum/")
    assert len(index) <= 5


def test_anonymous_post_lists_are_cached_and_edits_show_at_once(app, client, auth):
    author = make_user("aigerim")
    topic = make_topic(author, title="Cached topic", body="Original wording", replies=4)
    first_post_id = db.session.scalar(select(func.min(Post.id)).where(Post.topic_id == topic.id))
    visitor = app.test_client()
    app.config["CACHE_FORUM_SECONDS"] = 60
    cache.clear()
    try:
        with count_statements() as first:
            assert "Original wording" in visitor.get(f"/forum/t/{topic.id}").get_data(as_text=True)
        with count_statements() as second:
            assert "Original wording" in visitor.get(f"/forum/t/{topic.id}").get_data(as_text=True)
        # The post list's query (posts with their authors); the page's structured data asks
        # for the first post on its own, outside the cached list.
        assert any("FROM posts" in s and "JOIN users" in s for s in first)
        assert not any("FROM posts" in s and "JOIN users" in s for s in second)  # served from the cache
        auth.login("aigerim")
        url = f"/forum/p/{first_post_id}/edit"
        assert post_form(client, url, url, {"title": "Cached topic", "body": "Better wording"}).status_code == 302
        html = visitor.get(f"/forum/t/{topic.id}").get_data(as_text=True)
        assert "Better wording" in html and "Original wording" not in html
        reply(topic, author, "A brand new reply")
        assert "A brand new reply" in visitor.get(f"/forum/t/{topic.id}").get_data(as_text=True)
    finally:
        app.config["CACHE_FORUM_SECONDS"] = 0
        cache.clear()


def test_anonymous_topic_lists_are_cached_and_new_topics_show_at_once(app, client):
    author = make_user("aigerim")
    make_topic(author, title="First topic here")
    visitor = app.test_client()
    app.config["CACHE_FORUM_SECONDS"] = 60
    cache.clear()
    try:
        assert "First topic here" in visitor.get("/forum/c/buying-advice").get_data(as_text=True)
        with count_statements() as cached:
            assert "First topic here" in visitor.get("/forum/c/buying-advice").get_data(as_text=True)
        assert not any("FROM topics" in statement for statement in cached)
        make_topic(author, title="Second topic here")
        assert "Second topic here" in visitor.get("/forum/c/buying-advice").get_data(as_text=True)
    finally:
        app.config["CACHE_FORUM_SECONDS"] = 0
        cache.clear()
