"""Forum operations: plain typed functions that add and flush; the route commits once.

Posts are rendered to sanitized HTML when they are saved (`render_post`), so pages only
print stored HTML. Topic counters (posts, views) and last activity are kept here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import ColumnClause, and_, func, literal_column, select
from sqlalchemy.orm import joinedload

from app.core import cache
from app.core.audit import log_action
from app.core.time import utcnow
from app.extensions import db
from app.listings.display import listing_card
from app.markup import plain_text, render_markdown
from app.models import ForumCategory, Post, Topic, User
from app.notifications.services import notify

POSTS_PER_PAGE = 20
TOPICS_PER_PAGE = 25
TITLE_MIN, TITLE_MAX = 3, 150
BODY_MAX = 20_000
MAX_MENTIONS = 10  # notifications per post; more names still link but notify no one
CACHE_NAMESPACE = "forum"  # anonymous visitors' post and topic lists (routes.anonymous_fragment)


class ForumError(ValueError):
    """A refusal with a message for the user (str(error))."""


def fragments_changed() -> None:
    """Something shown in post or topic lists changed (a post, an edit, a deletion,
    moderation): every process renders them afresh once this transaction commits."""
    cache.invalidate(CACHE_NAMESPACE)


# --- rendering --------------------------------------------------------------------------


@dataclass
class Rendered:
    html: str
    mentioned: list[User]


def render_post(body: str) -> Rendered:
    """Markdown → stored HTML; @names of existing users become links and are returned."""
    names = {match.group(1).casefold() for match in re.finditer(r"@([A-Za-z0-9_][A-Za-z0-9_.-]{1,29})", body)}
    users: dict[str, User] = {}
    if names:
        keys = {name.rstrip(".-") for name in names} | names
        found = db.session.scalars(select(User).where(User.username_key.in_(list(keys)[:100])))
        users = {user.username_key: user for user in found}
    mentioned: dict[int, User] = {}

    def mention_url(name: str) -> str | None:
        user = users.get(name.casefold())
        if user is None:
            return None
        mentioned[user.id] = user
        return url_for("profile.show", username=user.username)

    html = render_markdown(body, mention_url=mention_url, embed=listing_embed)
    return Rendered(html, list(mentioned.values()))


def listing_embed(path: str) -> str | None:
    """A `/listings/<id>` line → the listing card HTML (our own autoescaped template)."""
    match = re.match(r"^/listings/(\d+)/?$", path)
    card = listing_card(int(match.group(1))) if match else None
    if not card:
        return None
    return render_template("forum/_listing_card.html", card=card).strip()


# --- reading ----------------------------------------------------------------------------


def categories() -> list[ForumCategory]:
    return list(db.session.scalars(select(ForumCategory).order_by(ForumCategory.position, ForumCategory.id)))


def get_category(slug: str) -> ForumCategory | None:
    return db.session.scalar(select(ForumCategory).where(ForumCategory.slug == slug))


@dataclass
class CategoryRow:
    category: ForumCategory
    topic_count: int
    post_count: int
    latest: Topic | None


def overview() -> list[CategoryRow]:
    """Every category with its topic and post counts and its most recently active topic."""
    visible = Topic.deleted_at.is_(None)
    counts = {
        category_id: (topics, posts or 0)
        for category_id, topics, posts in db.session.execute(
            select(Topic.category_id, func.count(Topic.id), func.sum(Topic.post_count))
            .where(visible)
            .group_by(Topic.category_id)
        )
    }
    rank = (
        func.row_number()
        .over(partition_by=Topic.category_id, order_by=(Topic.last_post_at.desc(), Topic.id.desc()))
        .label("rank")
    )
    ranked = select(Topic.id, rank).where(visible).subquery()
    latest_topics = db.session.scalars(
        select(Topic)
        .join(ranked, and_(ranked.c.id == Topic.id, ranked.c.rank == 1))
        .options(joinedload(Topic.last_poster))
    )
    latest = {topic.category_id: topic for topic in latest_topics}
    return [
        CategoryRow(category, *counts.get(category.id, (0, 0)), latest.get(category.id)) for category in categories()
    ]


def category_topics(category: ForumCategory, page: int):
    """Topics of a category: pinned first, then by last activity; deleted ones hidden."""
    query = (
        select(Topic)
        .where(Topic.category_id == category.id, Topic.deleted_at.is_(None))
        .options(joinedload(Topic.author), joinedload(Topic.last_poster))
        .order_by(Topic.pinned.desc(), Topic.last_post_at.desc(), Topic.id.desc())
    )
    return db.paginate(query, page=page, per_page=TOPICS_PER_PAGE, error_out=False)


def page_count(topic: Topic) -> int:
    return max(1, math.ceil(topic.post_count / POSTS_PER_PAGE))


def topic_posts(topic: Topic, page: int) -> list[Post]:
    """One page of a topic's posts, authors loaded in the same query."""
    return list(
        db.session.scalars(
            select(Post)
            .where(Post.topic_id == topic.id)
            .options(joinedload(Post.author))
            .order_by(Post.id)
            .offset((page - 1) * POSTS_PER_PAGE)
            .limit(POSTS_PER_PAGE)
        )
    )


def post_page(post: Post) -> int:
    """The topic page a post is on."""
    before = db.session.scalar(select(func.count(Post.id)).where(Post.topic_id == post.topic_id, Post.id <= post.id))
    return max(1, math.ceil((before or 1) / POSTS_PER_PAGE))


# ![alt](url "title") — a picture in markdown; a quote turns it into a link to it.
MARKDOWN_IMAGE = re.compile(r'!\[([^\]\n]*)\]\(\s*<?([^\s)>]+)>?(?:\s+"[^"\n]*")?\s*\)')


def pictures_as_links(source: str) -> str:
    """`![alt](url)` → `[alt](url)` (or `[picture](url)`): a quote carries the words and
    points at the pictures instead of copying them full size into the reply."""

    def link(match: re.Match) -> str:
        label = match.group(1).strip() or _("picture")
        return f"[{label}]({match.group(2)})"

    return MARKDOWN_IMAGE.sub(link, source)


def quote_text(post: Post) -> str:
    """The markdown a reply box receives when quoting `post` (pictures become links)."""
    lines = pictures_as_links(post.body.strip()).splitlines() or [""]
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in lines)
    return f"> **@{post.author.username}** {_('wrote:')}\n>\n{quoted}\n\n"


# --- writing ----------------------------------------------------------------------------


def check_body(body: str) -> str:
    """The text to store: NUL characters dropped (PostgreSQL refuses them), trimmed; an
    empty or oversized text raises ForumError with the message."""
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise ForumError(_("Write something first: the message is empty."))
    if len(body) > BODY_MAX:
        raise ForumError(
            _("The message is too long: %(count)s characters, at most %(max)s.", count=len(body), max=BODY_MAX)
        )
    return body


def flood_problem(user: User) -> str | None:
    """A message when `user` posted too often recently; moderators are never limited.

    Accounts younger than a day: FORUM_NEW_ACCOUNT_LIMIT posts (default 3) per
    FORUM_LIMIT_WINDOW seconds (default 300); older ones FORUM_POST_LIMIT (default 10).
    """
    if user.is_moderator:
        return None
    config = current_app.config
    window = timedelta(seconds=config.get("FORUM_LIMIT_WINDOW", 300))
    young = user.created_at > utcnow() - timedelta(days=1)
    limit = config.get("FORUM_NEW_ACCOUNT_LIMIT", 3) if young else config.get("FORUM_POST_LIMIT", 10)
    since = utcnow() - window
    recent = db.session.scalars(
        select(Post.created_at)
        .where(Post.author_id == user.id, Post.created_at > since)
        .order_by(Post.created_at.desc())
        .limit(limit)
    ).all()
    if len(recent) < limit:
        return None
    wait = max(1, int((recent[-1] + window - utcnow()).total_seconds()) + 1)
    minutes = int(window.total_seconds() // 60)
    if young:
        return _(
            "You are posting too fast. New accounts may post %(limit)s times in %(minutes)s minutes; "
            "try again in %(wait)s seconds.",
            limit=limit,
            minutes=minutes,
            wait=wait,
        )
    return _(
        "You are posting too fast: at most %(limit)s posts in %(minutes)s minutes. Try again in %(wait)s seconds.",
        limit=limit,
        minutes=minutes,
        wait=wait,
    )


def create_topic(category: ForumCategory, author: User, title: str, body: str) -> Topic:
    """A new topic with its first post; mentioned users are notified."""
    title = " ".join((title or "").split())
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise ForumError(_("The title needs %(min)s to %(max)s characters.", min=TITLE_MIN, max=TITLE_MAX))
    body = check_body(body)
    now = utcnow()
    topic = Topic(category=category, author=author, title=title, created_at=now, last_post_at=now, post_count=0)
    db.session.add(topic)
    add_post(topic, author, body, now=now)
    return topic


def post_reply(topic: Topic, author: User, body: str, quoted: Post | None = None) -> Post:
    """A reply; refuses locked topics (moderators excepted). Notifies the topic author
    ("reply"), the quoted author ("quote") and mentioned users ("mention"), once each."""
    if topic.locked and not author.is_moderator:
        raise ForumError(_("This topic is locked: it no longer accepts replies."))
    if topic.is_deleted:
        raise ForumError(_("This topic has been removed."))
    body = check_body(body)
    if quoted is not None and (quoted.topic_id != topic.id or quoted.is_deleted):
        quoted = None
    return add_post(topic, author, body, quoted=quoted)


def add_post(topic: Topic, author: User, body: str, quoted: Post | None = None, now=None) -> Post:
    fragments_changed()
    rendered = render_post(body)
    now = now or utcnow()
    post = Post(topic=topic, author=author, body=body, body_html=rendered.html, created_at=now)
    db.session.add(post)
    topic.post_count = (topic.post_count or 0) + 1
    topic.last_post_at = now
    topic.last_poster = author
    db.session.flush()
    topic.last_post_id = post.id
    notify_about(post, rendered.mentioned, quoted)
    return post


def notify_about(post: Post, mentioned: list[User], quoted: Post | None) -> None:
    """One notification per person per post: quote beats mention beats reply; never oneself."""
    topic = post.topic
    payload = {
        "who": post.author.username,
        "topic": topic.title,
        "url": url_for("forum.permalink", post_id=post.id),
    }
    kinds: dict[int, str] = {}
    kinds[topic.author_id] = "reply"
    for user in mentioned[:MAX_MENTIONS]:
        kinds[user.id] = "mention"
    if quoted is not None:
        kinds[quoted.author_id] = "quote"
    kinds.pop(post.author_id, None)
    for user_id, kind in kinds.items():
        notify(user_id, kind, dict(payload))


def edit_post(post: Post, editor: User, body: str, title: str | None = None) -> None:
    """Replace a post's text (and the topic title, for a first post); marks it edited.
    Mentions added by the edit are linked but not notified again."""
    fragments_changed()
    body = check_body(body)
    if title is not None:
        title = " ".join(title.split())
        if not TITLE_MIN <= len(title) <= TITLE_MAX:
            raise ForumError(_("The title needs %(min)s to %(max)s characters.", min=TITLE_MIN, max=TITLE_MAX))
        post.topic.title = title
    if body != post.body:
        post.body = body
        post.body_html = render_post(body).html
        post.edited_at = utcnow()
    if editor.id != post.author_id:
        log_action(editor, "forum.edit_post", "post", post.id)


def is_first_post(post: Post) -> bool:
    first = db.session.scalar(select(func.min(Post.id)).where(Post.topic_id == post.topic_id))
    return first == post.id


def delete_post(post: Post, by: User) -> None:
    """Soft delete: the post keeps its place and shows as deleted."""
    fragments_changed()
    post.deleted_at = utcnow()
    post.deleted_by_id = by.id
    if by.id != post.author_id:
        log_action(by, "forum.delete_post", "post", post.id)


def restore_post(post: Post, by: User) -> None:
    fragments_changed()
    post.deleted_at = None
    post.deleted_by_id = None
    log_action(by, "forum.restore_post", "post", post.id)


def moderate_topic(topic: Topic, moderator: User, action: str) -> None:
    """pin, unpin, lock, unlock, delete (soft) or restore a topic; logged."""
    fragments_changed()
    if action in ("pin", "unpin"):
        topic.pinned = action == "pin"
    elif action in ("lock", "unlock"):
        topic.locked = action == "lock"
    elif action == "delete":
        topic.deleted_at = utcnow()
    elif action == "restore":
        topic.deleted_at = None
    else:
        raise ForumError(_("Unknown action."))
    log_action(moderator, f"forum.{action}_topic", "topic", topic.id, topic.title)


def move_topic(topic: Topic, moderator: User, category: ForumCategory) -> None:
    fragments_changed()
    old = topic.category.name
    topic.category = category
    log_action(moderator, "forum.move_topic", "topic", topic.id, f"{old} → {category.name}")


# --- categories (admins) ------------------------------------------------------------------


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return slug[:80] or "category"


LOCALIZED_CATEGORY_FIELDS = ("name_ru", "name_kk", "description_ru", "description_kk")


def save_category(category: ForumCategory | None, data: dict[str, Any], admin: User) -> ForumCategory:
    """Create or update a category (with its Russian and Kazakh name and description); a taken
    slug is refused."""
    slug = slugify(data.get("slug") or data["name"])
    clash = db.session.scalar(select(ForumCategory).where(ForumCategory.slug == slug))
    if clash is not None and clash is not category:
        raise ForumError(_("Another category already uses the address “%(slug)s”.", slug=slug))
    if category is None:
        last = db.session.scalar(select(func.max(ForumCategory.position))) or 0
        category = ForumCategory(position=last + 1)
        db.session.add(category)
    category.name, category.slug, category.description = data["name"], slug, data.get("description") or ""
    for field in LOCALIZED_CATEGORY_FIELDS:
        setattr(category, field, data.get(field) or "")
    db.session.flush()
    log_action(admin, "forum.save_category", "category", category.id, category.name)
    return category


def move_category(category: ForumCategory, direction: int) -> None:
    """Swap with the neighbour above (-1) or below (+1); positions are renumbered 1..n."""
    ordered = categories()
    index = ordered.index(category)
    other = index + direction
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position


# --- search and profiles ------------------------------------------------------------------


# regconfig literal: the expression must read exactly as the index's for PostgreSQL to use it
FTS_CONFIG: ColumnClause[Any] = literal_column("'russian'::regconfig")


def like_pattern(query: str) -> str:
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(query: str, page: int):
    """Topics whose title matches and posts whose text matches (newest first); deleted
    posts and topics are left out. PostgreSQL full text in the 'russian' configuration, so
    word forms match ("двигатель" finds "двигателя"; the GIN indexes of migration 0011 use
    the same expressions); elsewhere a LIKE match."""
    query = " ".join(query.split())[:200]
    visible_topic = Topic.deleted_at.is_(None)
    if db.engine.dialect.name == "postgresql":
        tsquery = func.plainto_tsquery(FTS_CONFIG, query)
        title_match = func.to_tsvector(FTS_CONFIG, Topic.title).op("@@")(tsquery)
        body_match = func.to_tsvector(FTS_CONFIG, Post.body).op("@@")(tsquery)
    else:
        pattern = like_pattern(query)
        title_match = Topic.title.ilike(pattern, escape="\\")
        body_match = Post.body.ilike(pattern, escape="\\")
    topics = list(
        db.session.scalars(
            select(Topic)
            .where(visible_topic, title_match)
            .options(joinedload(Topic.category))
            .order_by(Topic.last_post_at.desc())
            .limit(10)
        )
    )
    posts = db.paginate(
        select(Post)
        .join(Topic, Topic.id == Post.topic_id)
        .where(visible_topic, Post.deleted_at.is_(None), body_match)
        .options(joinedload(Post.author), joinedload(Post.topic))
        .order_by(Post.created_at.desc(), Post.id.desc()),
        page=page,
        per_page=POSTS_PER_PAGE,
        error_out=False,
    )
    return topics, posts


def user_topic_count(user: User) -> int:
    return (
        db.session.scalar(select(func.count(Topic.id)).where(Topic.author_id == user.id, Topic.deleted_at.is_(None)))
        or 0
    )


def user_post_count(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count(Post.id))
            .join(Topic, Topic.id == Post.topic_id)
            .where(Post.author_id == user.id, Post.deleted_at.is_(None), Topic.deleted_at.is_(None))
        )
        or 0
    )


def user_activity(user: User, limit: int = 5) -> dict[str, list]:
    """A user's latest topics and posts, for their profile page."""
    topics = db.session.scalars(
        select(Topic)
        .where(Topic.author_id == user.id, Topic.deleted_at.is_(None))
        .order_by(Topic.id.desc())
        .limit(limit)
    ).all()
    posts = db.session.scalars(
        select(Post)
        .join(Topic, Topic.id == Post.topic_id)
        .where(Post.author_id == user.id, Post.deleted_at.is_(None), Topic.deleted_at.is_(None))
        .options(joinedload(Post.topic))
        .order_by(Post.id.desc())
        .limit(limit)
    ).all()
    return {"topics": list(topics), "posts": [(post, plain_text(post.body, 160)) for post in posts]}


def visible_to(user: Any, topic: Topic) -> bool:
    return not topic.is_deleted or bool(getattr(user, "is_moderator", False))


def can_edit(user: Any, post: Post) -> bool:
    """Authors edit their own live posts (not in locked topics); moderators any post."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_moderator:
        return True
    return post.author_id == user.id and not post.is_deleted and not post.topic.locked
