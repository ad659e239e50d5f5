"""Forum posts as a moderation target: the queue shows them, "remove" soft-deletes them
as a moderator would from the topic page, "restore" brings them back."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user

from app.core.moderation import ModerationTarget
from app.core.time import utcnow
from app.extensions import db
from app.forum.services import fragments_changed
from app.markup import plain_text
from app.models import Post


def load_post(post_id: int) -> Post | None:
    return db.session.get(Post, post_id)


def remove_post(post: Post) -> None:
    fragments_changed()
    post.deleted_at = utcnow()
    post.deleted_by_id = current_user.id if current_user and current_user.is_authenticated else None


def restore_post(post: Post) -> None:
    fragments_changed()
    post.deleted_at = None
    post.deleted_by_id = None


TARGET = ModerationTarget(
    kind="post",
    load=load_post,
    title=lambda post: f"{post.topic.title} — @{post.author.username}",
    url=lambda post: url_for("forum.permalink", post_id=post.id),
    excerpt=lambda post: plain_text(post.body, 300),
    author_id=lambda post: post.author_id,
    remove=remove_post,
    restore=restore_post,
    is_removed=lambda post: post.is_deleted,
)
