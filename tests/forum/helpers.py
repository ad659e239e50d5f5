"""Forum test data through the real services, and form posting with the page's CSRF token."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.core.time import utcnow
from app.extensions import db
from app.forum import services
from app.models import ForumCategory, Post, Topic
from tests import factories
from tests.conftest import form_tokens


def make_user(username: str, role: str = "user", old: bool = True):
    """A member; `old` accounts (two days) get the looser posting limit."""
    fields = {"created_at": utcnow() - timedelta(days=2)} if old else {}
    return factories.make_user(username, role=role, **fields)


def make_category(name: str = "Buying advice", slug: str | None = None, position: int = 1) -> ForumCategory:
    """The category with this name, created when missing."""
    existing = db.session.scalar(select(ForumCategory).where(ForumCategory.name == name))
    if existing is not None:
        return existing
    category = ForumCategory(name=name, slug=slug or services.slugify(name), position=position, description="")
    db.session.add(category)
    db.session.commit()
    return category


def make_topic(
    author, category=None, title="Camry or Sonata?", body="Which one would you buy?", replies=0, repliers=()
):
    """A topic with `replies` replies (by `repliers` in turn, else the author)."""
    category = category or make_category()
    with current_app.test_request_context():
        topic = services.create_topic(category, author, title, body)
        for number in range(replies):
            replier = repliers[number % len(repliers)] if repliers else author
            services.post_reply(topic, replier, f"Reply number {number + 1}")
    db.session.commit()
    return topic


def reply(topic: Topic, author, body: str) -> Post:
    with current_app.test_request_context():
        post = services.post_reply(topic, author, body)
    db.session.commit()
    return post


def post_form(client, form_page: str, url: str, data: dict, **kwargs):
    """Submit a form as a browser would: the CSRF token (and the one-time form token of a
    form that creates something) come from `form_page`."""
    return client.post(url, data={**data, **form_tokens(client, form_page)}, **kwargs)
