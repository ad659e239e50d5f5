"""The topic page's number of SQL statements does not grow with its number of posts."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.extensions import db
from tests.forum.helpers import make_topic, make_user


@contextmanager
def count_statements():
    """Counts every statement the app sends to the database meanwhile."""
    statements: list[str] = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before_cursor_execute)


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
