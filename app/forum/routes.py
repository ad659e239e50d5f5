"""Forum pages: categories, topics, posts, moderation and category administration.

Routes validate, call `app.forum.services`, commit once and redirect. Authorization is
checked here on the server for every page and form: editing or deleting someone else's
post, and every moderator action, is a 403 for other users.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy.orm import joinedload

from app import edits, inputs, media
from app.auth.decorators import admin_required, moderator_required
from app.core import cache
from app.core.errors import render_error
from app.extensions import db, limiter
from app.forum import bp, services
from app.forum import views as view_counts
from app.forum.forms import CategoryForm, EditPostForm, MoveTopicForm, NewCategoryForm, ReplyForm, TopicForm
from app.forum.links import PostLinks, TopicLinks
from app.forum.services import ForumError
from app.models import ForumCategory, Post, Topic

# --- helpers ------------------------------------------------------------------------------


def page_arg() -> int:
    return inputs.page_arg()


def get_topic_or_404(topic_id: int) -> Topic:
    """The topic; 404 when missing, or deleted and the viewer is not a moderator."""
    topic = db.session.get(Topic, topic_id, options=[joinedload(Topic.category)])
    if topic is None or not services.visible_to(current_user, topic):
        abort(404)
    return topic


def get_post_or_404(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None or not services.visible_to(current_user, post.topic):
        abort(404)
    return post


def refuse_if_flooding():
    """The 429 page with the reason, when the user posts too fast; else None."""
    problem = services.flood_problem(current_user)
    return render_error(429, problem) if problem else None


def refuse_banned() -> None:
    if current_user.is_banned:
        abort(403, _("Your account is suspended: you cannot post."))


def upload_key() -> str:
    return f"forum-upload:{current_user.get_id() if current_user.is_authenticated else ''}"


def preview_key() -> str:
    return f"forum-preview:{current_user.get_id() if current_user.is_authenticated else ''}"


PREVIEW_MAX_REQUEST = 256 * 1024  # the form with a 20,000-character body is far smaller


# --- reading ------------------------------------------------------------------------------


@bp.route("/")
def index():
    """Categories in order, with topic and post counts and the latest activity."""
    return render_template("forum/index.html", rows=services.overview())


@bp.route("/c/<slug>")
def category(slug: str):
    """A category's topics, pinned first, then by last activity; 20-odd a page."""
    category = services.get_category(slug)
    if category is None:
        abort(404)
    return render_template("forum/category.html", category=category, topics_html=topics_fragment(category, page_arg()))


def topics_fragment(category: ForumCategory, page: int) -> Markup:
    """The rendered topic list of a category page (for anonymous visitors from the cache)."""

    def render() -> str:
        pagination = services.category_topics(category, page)
        return render_template("forum/_topic_list.html", category=category, pagination=pagination, links=TopicLinks())

    return anonymous_fragment(("category", category.id, page), render)


def anonymous_fragment(key: tuple, render: Callable[[], str]) -> Markup:
    """`render()`, which is the same HTML for every visitor who is not signed in (most views),
    from the shared cache for CACHE_FORUM_SECONDS, per language; any forum change retires it
    in every process (`services.fragments_changed`). Signed-in members always get a fresh
    render: their lists carry per-user buttons."""
    if current_user.is_authenticated:
        html = render()
    else:
        timeout = current_app.config["CACHE_FORUM_SECONDS"]
        html = cache.remember(services.CACHE_NAMESPACE, (*key, str(get_locale())), render, timeout)
    return Markup(html)  # noqa: S704 (our own rendered, autoescaped template)


@bp.route("/t/<int:topic_id>")
def topic(topic_id: int):
    """A topic page: 20 posts, authors loaded with them; counts a view. Deleted topics
    are 404 except for moderators."""
    topic = get_topic_or_404(topic_id)
    pages = services.page_count(topic)
    page = page_arg()
    if page > pages:
        return redirect(url_for("forum.topic", topic_id=topic.id, page=pages))
    views = topic.views + view_counts.count_view(topic.id)
    posts_html = posts_fragment(topic, page)
    form = None
    if current_user.is_authenticated and (not topic.locked or current_user.is_moderator):
        form = ReplyForm(formdata=None)
    move_form = None
    if current_user.is_authenticated and current_user.is_moderator:
        move_form = MoveTopicForm(formdata=None, category=topic.category_id)
        move_form.category.choices = [(c.id, c.display_name) for c in services.categories()]
    html = render_template(
        "forum/topic.html",
        topic=topic,
        posts_html=posts_html,
        page=page,
        pages=pages,
        views=views,
        form=form,
        move_form=move_form,
    )
    view_counts.flush_due_views()  # after rendering: its commit expires the loaded rows
    return html


def posts_fragment(topic: Topic, page: int) -> Markup:
    """The rendered posts of a topic page (for anonymous visitors from the cache; the key
    also follows the topic's post count, last post, lock and delete state)."""

    def render() -> str:
        posts = services.topic_posts(topic, page)
        return render_template(
            "forum/_posts.html",
            topic=topic,
            posts=posts,
            first_post_id=posts[0].id if page == 1 and posts else None,
            links=PostLinks(topic.id),
        )

    state = (topic.post_count, topic.last_post_id, topic.locked, topic.is_deleted)
    return anonymous_fragment(("topic", topic.id, page, *state), render)


@bp.route("/p/<int:post_id>")
def permalink(post_id: int):
    """A post's permanent address: redirects to its topic page and #post-<id>."""
    post = get_post_or_404(post_id)
    page = services.post_page(post)
    return redirect(
        url_for("forum.topic", topic_id=post.topic_id, page=page if page > 1 else None) + f"#post-{post.id}"
    )


@bp.route("/p/<int:post_id>/quote")
@login_required
def quote(post_id: int):
    """JSON for forum.js: the markdown that quotes this post. Deleted posts: 404."""
    post = get_post_or_404(post_id)
    if post.is_deleted:
        abort(404)
    return {"id": post.id, "author": post.author.username, "markdown": services.quote_text(post)}


@bp.route("/search")
def search():
    """Full-text search over topic titles and post texts (a LIKE match on SQLite)."""
    query = (request.args.get("q") or "").strip()[:200]
    topics, posts = ([], None)
    if query:
        topics, posts = services.search(query, page_arg())
    return render_template("forum/search.html", query=query, topics=topics, posts=posts)


# --- writing ------------------------------------------------------------------------------


@bp.route("/c/<slug>/new", methods=["GET", "POST"])
@login_required
def new_topic(slug: str):
    """Start a topic in a category. Refuses empty or oversized text (message on the form)
    and posting too fast (429)."""
    category = services.get_category(slug)
    if category is None:
        abort(404)
    refuse_banned()
    form = TopicForm()
    status = 200
    if form.validate_on_submit():
        if (repeat := edits.claim_token(form.form_token.data)) is not None:
            return repeat
        refusal = refuse_if_flooding()
        if refusal:
            return refusal
        try:
            topic = services.create_topic(category, current_user, form.title.data, form.body.data)
        except ForumError as error:
            form.body.errors = [*form.body.errors, str(error)]
            status = 400
        else:
            edits.record_result(form.form_token.data, url_for("forum.topic", topic_id=topic.id))
            db.session.commit()
            flash(_("Your topic is published."), "success")
            return redirect(url_for("forum.topic", topic_id=topic.id))
    elif request.method == "POST":
        status = 400
    return render_template("forum/new_topic.html", category=category, form=form), status


@bp.route("/t/<int:topic_id>/reply", methods=["GET", "POST"])
@login_required
def reply(topic_id: int):
    """Reply to a topic. GET shows the reply form (with ?quote=<post_id> the quoted post
    is already in it: the no-JavaScript way to quote). Locked topics refuse replies (403
    with the reason), posting too fast is a 429."""
    topic = get_topic_or_404(topic_id)
    refuse_banned()
    if topic.locked and not current_user.is_moderator:
        abort(403, _("This topic is locked: it no longer accepts replies."))
    form = ReplyForm()
    status = 200
    if request.method == "GET":
        quoted = db.session.get(Post, inputs.int_arg("quote", 0))
        if quoted is not None and quoted.topic_id == topic.id and not quoted.is_deleted:
            form.body.data = services.quote_text(quoted)
            form.quote_id.data = str(quoted.id)
    elif form.validate_on_submit():
        if (repeat := edits.claim_token(form.form_token.data)) is not None:
            return repeat
        refusal = refuse_if_flooding()
        if refusal:
            return refusal
        quoted_id = form.quote_id.data
        quoted = db.session.get(Post, number) if (number := inputs.parse_int(quoted_id)) else None
        try:
            post = services.post_reply(topic, current_user, form.body.data, quoted=quoted)
        except ForumError as error:
            form.body.errors = [*form.body.errors, str(error)]
            status = 400
        else:
            pages = services.page_count(topic)
            url = url_for("forum.topic", topic_id=topic.id, page=pages if pages > 1 else None) + f"#post-{post.id}"
            edits.record_result(form.form_token.data, url)
            db.session.commit()
            return redirect(url)
    else:
        status = 400
    return render_template("forum/reply.html", topic=topic, form=form), status


@bp.route("/upload", methods=["POST"])
@login_required
@media.limit_photo_uploads
@limiter.limit("60 per hour", key_func=upload_key)
def upload():
    """A picture for a post (JSON for forum.js): stored through app.media as a "posts"
    image; answers its URL and the markdown to insert. Bad files: 400 with a message."""
    refuse_banned()
    file = request.files.get("image")
    if file is None or not file.filename:
        return {"error": _("Choose a picture.")}, 400
    try:
        name = media.save_image(file.stream, "posts")
    except media.ImageRejected as error:
        return {"error": str(error)}, 400
    url = media.image_url("posts", name, "full")
    return {"url": url, "markdown": f"![]({url})"}


@bp.route("/preview", methods=["POST"])
@login_required
@limiter.limit("30 per minute", key_func=preview_key)
def preview():
    """The HTML a post would show (JSON for the editor's Preview tab), rendered and
    sanitised exactly as when it is posted; nothing is stored. CSRF-checked like every
    form; refuses an empty or oversized text (400 with the message) and big requests (413)."""
    refuse_banned()
    if (request.content_length or 0) > PREVIEW_MAX_REQUEST:
        return {"error": _("The message is too long to preview.")}, 413
    try:
        body = services.check_body(request.form.get("body", ""))
    except ForumError as error:
        return {"error": str(error)}, 400
    return {"html": services.render_post(body).html}


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int):
    """Edit one's own post (moderators: any post); the post shows as edited. Someone
    else's post is a 403; a post in a locked topic only moderators may edit."""
    post = get_post_or_404(post_id)
    if not services.can_edit(current_user, post):
        abort(403)
    first = services.is_first_post(post)
    form = EditPostForm(obj=post)
    if request.method == "GET" and first:
        form.title.data = post.topic.title
    status = 200
    if form.validate_on_submit() and edits.edit_conflict(form, Post.edit_version, post):
        status = 409
    elif form.validate_on_submit():
        try:
            services.edit_post(post, current_user, form.body.data, form.title.data if first else None)
        except ForumError as error:
            form.body.errors = [*form.body.errors, str(error)]
            status = 400
        else:
            db.session.commit()
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("forum.permalink", post_id=post.id))
    elif request.method == "POST":
        status = 400
    if not first:
        del form.title
    return render_template("forum/edit_post.html", post=post, form=form), status


@bp.route("/p/<int:post_id>/delete", methods=["POST"])
@login_required
def delete_post(post_id: int):
    """Soft-delete one's own post (moderators: any post); it shows as deleted."""
    post = get_post_or_404(post_id)
    if not services.can_edit(current_user, post):
        abort(403)
    services.delete_post(post, current_user)
    db.session.commit()
    flash(_("The post is deleted."), "info")
    return redirect(url_for("forum.permalink", post_id=post.id))


@bp.route("/p/<int:post_id>/restore", methods=["POST"])
@moderator_required
def restore_post(post_id: int):
    """Moderators: bring a deleted post back."""
    post = get_post_or_404(post_id)
    services.restore_post(post, current_user)
    db.session.commit()
    flash(_("The post is restored."), "info")
    return redirect(url_for("forum.permalink", post_id=post.id))


# --- moderation ---------------------------------------------------------------------------

MODERATION_MESSAGES = {
    "pin": _l("The topic is pinned."),
    "unpin": _l("The topic is unpinned."),
    "lock": _l("The topic is locked."),
    "unlock": _l("The topic is open for replies again."),
    "delete": _l("The topic is deleted."),
    "restore": _l("The topic is restored."),
}


@bp.route("/t/<int:topic_id>/moderate", methods=["POST"])
@moderator_required
def moderate(topic_id: int):
    """Moderators: pin, unpin, lock, unlock, delete or restore a topic (logged)."""
    topic = db.session.get(Topic, topic_id)
    if topic is None:
        abort(404)
    action = request.form.get("action", "")
    if action not in MODERATION_MESSAGES:
        abort(400, _("Unknown action."))
    services.moderate_topic(topic, current_user, action)
    db.session.commit()
    flash(str(MODERATION_MESSAGES[action]), "info")
    if action == "delete":
        return redirect(url_for("forum.category", slug=topic.category.slug))
    return redirect(url_for("forum.topic", topic_id=topic.id))


@bp.route("/t/<int:topic_id>/move", methods=["POST"])
@moderator_required
def move(topic_id: int):
    """Moderators: move a topic to another category."""
    topic = db.session.get(Topic, topic_id)
    if topic is None:
        abort(404)
    form = MoveTopicForm()
    form.category.choices = [(c.id, c.display_name) for c in services.categories()]
    if not form.validate_on_submit():
        abort(400, _("Choose a category."))
    services.move_topic(topic, current_user, db.session.get(ForumCategory, form.category.data))
    db.session.commit()
    flash(_("The topic is moved to %(name)s.", name=topic.category.display_name), "info")
    return redirect(url_for("forum.topic", topic_id=topic.id))


# --- categories (admins) ------------------------------------------------------------------


@bp.route("/admin/categories")
@admin_required
def admin_categories():
    """Admins: the categories in order, with links to edit and reorder them."""
    return render_template("forum/admin_categories.html", categories=services.categories())


@bp.route("/admin/categories/new", methods=["GET", "POST"])
@admin_required
def admin_new_category():
    """Admins: add a category (at the end of the list)."""
    return category_form(None)


@bp.route("/admin/categories/<int:category_id>/edit", methods=["GET", "POST"])
@admin_required
def admin_edit_category(category_id: int):
    """Admins: rename a category or change its address and description."""
    category = db.session.get(ForumCategory, category_id)
    if category is None:
        abort(404)
    return category_form(category)


def category_form(category: ForumCategory | None):
    form = CategoryForm(obj=category) if category else NewCategoryForm()
    status = 200
    if form.validate_on_submit():
        if category is None and (repeat := edits.claim_token(form.form_token.data)) is not None:
            return repeat
        try:
            services.save_category(category, form.data, current_user)
        except ForumError as error:
            form.slug.errors = [*form.slug.errors, str(error)]
            status = 400
        else:
            if category is None:
                edits.record_result(form.form_token.data, url_for("forum.admin_categories"))
            db.session.commit()
            flash(_("The category is saved."), "success")
            return redirect(url_for("forum.admin_categories"))
    elif request.method == "POST":
        status = 400
    return render_template("forum/category_form.html", form=form, category=category), status


@bp.route("/admin/categories/<int:category_id>/move", methods=["POST"])
@admin_required
def admin_move_category(category_id: int):
    """Admins: move a category one place up or down."""
    category = db.session.get(ForumCategory, category_id)
    if category is None:
        abort(404)
    direction = -1 if request.form.get("direction") == "up" else 1
    services.move_category(category, direction)
    db.session.commit()
    return redirect(url_for("forum.admin_categories"))
