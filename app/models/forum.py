"""The forum: categories, topics and posts.

Posts keep both their markdown source and the sanitized HTML rendered when they were
saved (`app.markup.render_markdown`), so a page view never parses markdown. Topics carry
denormalized counters (posts, views) and their last activity, kept by `app.forum.services`,
so listing pages need no per-row counting.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import get_locale
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import utcnow
from app.extensions import db
from app.models.user import User


class ForumCategory(db.Model):
    """A section of the forum; `position` orders them on /forum."""

    __tablename__ = "forum_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(String(300), default="")
    # The name and description in Russian and Kazakh; empty: `name`/`description` is shown.
    name_ru: Mapped[str] = mapped_column(String(80), default="", server_default="")
    name_kk: Mapped[str] = mapped_column(String(80), default="", server_default="")
    description_ru: Mapped[str] = mapped_column(String(300), default="", server_default="")
    description_kk: Mapped[str] = mapped_column(String(300), default="", server_default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<ForumCategory {self.slug}>"

    def localized(self, field: str) -> str:
        """`field` ("name" or "description") in the page's language, else the base text."""
        language = str(get_locale() or "")
        return getattr(self, f"{field}_{language}", "") or getattr(self, field)

    @property
    def display_name(self) -> str:
        return self.localized("name")

    @property
    def display_description(self) -> str:
        return self.localized("description")


class Topic(db.Model):
    """A thread: its first post is the opening message. Soft-deleted by moderators."""

    __tablename__ = "topics"
    __table_args__ = (
        Index("ix_topics_category_activity", "category_id", "pinned", "last_post_at"),
        Index("ix_topics_author", "author_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("forum_categories.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(150))
    pinned: Mapped[bool] = mapped_column(default=False)
    locked: Mapped[bool] = mapped_column(default=False)
    views: Mapped[int] = mapped_column(default=0)
    # Every post, including the first and the soft-deleted ones (they keep their place).
    post_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Plain ids, no foreign keys: avoids a topics <-> posts cycle; services keep them.
    last_post_id: Mapped[int | None]
    last_poster_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    deleted_at: Mapped[datetime | None]

    category: Mapped[ForumCategory] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    last_poster: Mapped[User | None] = relationship(foreign_keys=[last_poster_id])

    @property
    def reply_count(self) -> int:
        return max(self.post_count - 1, 0)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def __repr__(self) -> str:
        return f"<Topic {self.id} {self.title!r}>"


class Post(db.Model):
    """One message in a topic. Deleting keeps the row (and its place) with a note."""

    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_topic_id", "topic_id", "id"),
        Index("ix_posts_author_created", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    # Raised by each save of the edit form (app/edits.py): a stale tab is told, not obeyed.
    edit_version: Mapped[int] = mapped_column(default=0, server_default="0")
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    topic: Mapped[Topic] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def __repr__(self) -> str:
        return f"<Post {self.id} in topic {self.topic_id}>"
