"""Forum pages as members, moderators, admins and visitors see them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.core.audit import AuditLog
from app.extensions import db
from app.models import ForumCategory, Notification, Post, Topic
from tests.forum.helpers import make_category, make_topic, make_user, post_form, reply


def text_of(response) -> str:
    return response.get_data(as_text=True)


# --- reading ------------------------------------------------------------------------------


def test_index_lists_categories_in_order_with_counts_and_latest_post(client):
    buying = make_category("Buying advice", position=2)
    make_category("General", position=1)
    author = make_user("aigerim")
    make_topic(author, buying, title="Camry or Sonata?", replies=2)
    make_topic(author, buying, title="Lada Vesta worth it?", replies=0)
    html = text_of(client.get("/forum/"))
    assert html.index("General") < html.index("Buying advice")
    assert "2 topics" in html and "4 posts" in html
    assert "Lada Vesta worth it?" in html  # the most recent activity
    assert "No topics yet" in html  # General is empty


def test_category_lists_pinned_first_then_by_last_activity(client):
    category = make_category()
    author = make_user("aigerim")
    old = make_topic(author, category, title="Old but pinned")
    old.pinned = True
    make_topic(author, category, title="Quiet topic")
    busy = make_topic(author, category, title="Busy topic")
    reply(busy, author, "bump")
    db.session.commit()
    html = text_of(client.get(f"/forum/c/{category.slug}"))
    assert html.index("Old but pinned") < html.index("Busy topic") < html.index("Quiet topic")
    assert "Pinned" in html


def test_category_is_paginated(client):
    category = make_category()
    author = make_user("aigerim")
    for number in range(27):
        make_topic(author, category, title=f"Topic number {number:02d}")
    first = text_of(client.get(f"/forum/c/{category.slug}"))
    second = text_of(client.get(f"/forum/c/{category.slug}?page=2"))
    assert "Topic number 26" in first and "Topic number 00" not in first
    assert "Topic number 00" in second and "Topic number 01" in second


def test_topic_pages_hold_20_posts_and_a_permalink_lands_on_the_right_page(client):
    author = make_user("aigerim")
    topic = make_topic(author, replies=44)
    posts = db.session.scalars(select(Post).where(Post.topic_id == topic.id).order_by(Post.id)).all()
    page1 = text_of(client.get(f"/forum/t/{topic.id}"))
    assert len(re.findall(r'id="post-\d+"', page1)) == 20
    page3 = text_of(client.get(f"/forum/t/{topic.id}?page=3"))
    assert len(re.findall(r'id="post-\d+"', page3)) == 5
    response = client.get(f"/forum/p/{posts[25].id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/forum/t/{topic.id}?page=2#post-{posts[25].id}"
    assert f'id="post-{posts[25].id}"' in text_of(client.get(f"/forum/t/{topic.id}?page=2"))
    assert client.get(f"/forum/p/{posts[0].id}").headers["Location"] == f"/forum/t/{topic.id}#post-{posts[0].id}"
    assert client.get("/forum/p/999999").status_code == 404


def test_topic_page_counts_views_and_replies(client):
    topic = make_topic(make_user("aigerim"), replies=3)
    client.get(f"/forum/t/{topic.id}")
    html = text_of(client.get(f"/forum/t/{topic.id}"))
    assert "3 replies" in html and "2 views" in html
    db.session.refresh(topic)
    assert topic.views == 2


# --- writing ------------------------------------------------------------------------------


def test_member_starts_a_topic_and_replies(client, auth):
    category = make_category()
    make_user("aigerim")
    auth.login("aigerim")
    response = post_form(
        client,
        f"/forum/c/{category.slug}/new",
        f"/forum/c/{category.slug}/new",
        {"title": "Winter tyres for a RAV4", "body": "Studded or **friction**?"},
        follow_redirects=True,
    )
    html = text_of(response)
    assert "Your topic is published." in html
    assert "<strong>friction</strong>" in html
    topic = db.session.scalar(select(Topic).where(Topic.title == "Winter tyres for a RAV4"))
    response = post_form(client, f"/forum/t/{topic.id}", f"/forum/t/{topic.id}/reply", {"body": "Friction, always."})
    assert response.status_code == 302
    html = text_of(client.get(response.headers["Location"]))
    assert "Friction, always." in html and "1 reply" in html


def test_anonymous_visitors_are_sent_to_sign_in(client):
    category = make_category()
    topic = make_topic(make_user("aigerim"), category)
    assert "/auth/login" in client.get(f"/forum/c/{category.slug}/new").headers["Location"]
    assert "/auth/login" in client.get(f"/forum/t/{topic.id}/reply").headers["Location"]
    assert "/auth/login" in client.get(f"/forum/p/{topic.last_post_id}/edit").headers["Location"]
    assert "Sign in to reply" in text_of(client.get(f"/forum/t/{topic.id}"))


def test_empty_and_oversized_bodies_are_refused_with_a_message(client, auth):
    topic = make_topic(make_user("aigerim"))
    make_user("daniyar")
    auth.login("daniyar")
    response = post_form(client, f"/forum/t/{topic.id}", f"/forum/t/{topic.id}/reply", {"body": "x" * 20_001})
    assert response.status_code == 400
    assert "The message is too long: 20001 characters, at most 20000." in text_of(response)
    response = post_form(client, f"/forum/t/{topic.id}", f"/forum/t/{topic.id}/reply", {"body": "   "})
    assert response.status_code == 400
    assert "the message is empty" in text_of(response)
    assert db.session.scalar(select(Topic.post_count).where(Topic.id == topic.id)) == 1


def test_short_title_is_refused(client, auth):
    category = make_category()
    make_user("aigerim")
    auth.login("aigerim")
    page = f"/forum/c/{category.slug}/new"
    response = post_form(client, page, page, {"title": "Hi", "body": "Body"})
    assert response.status_code == 400
    assert "The title needs 3 to 150 characters." in text_of(response)


def test_quote_fallback_prefills_the_reply_with_author_and_text(client, auth):
    author = make_user("aigerim")
    topic = make_topic(author, body="Check the **service book**\nand the VIN.")
    first = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    make_user("daniyar")
    auth.login("daniyar")
    html = text_of(client.get(f"/forum/t/{topic.id}/reply?quote={first.id}"))
    assert "&gt; **@aigerim** wrote:\n&gt;\n&gt; Check the **service book**\n&gt; and the VIN." in html
    assert f'name="quote_id" type="hidden" value="{first.id}"' in html
    data = client.get(f"/forum/p/{first.id}/quote").get_json()
    assert data["author"] == "aigerim" and data["markdown"].startswith("> **@aigerim** wrote:")


def test_edit_own_post_marks_it_edited(client, auth):
    author = make_user("aigerim")
    topic = make_topic(author, replies=1)
    post = db.session.scalars(select(Post).where(Post.topic_id == topic.id).order_by(Post.id.desc())).first()
    auth.login("aigerim")
    url = f"/forum/p/{post.id}/edit"
    response = post_form(client, url, url, {"body": "Corrected text"}, follow_redirects=True)
    html = text_of(response)
    assert "Corrected text" in html and "edited" in html
    db.session.refresh(post)
    assert post.edited_at is not None


def test_edit_first_post_can_change_the_title(client, auth):
    topic = make_topic(make_user("aigerim"))
    first = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    auth.login("aigerim")
    url = f"/forum/p/{first.id}/edit"
    post_form(client, url, url, {"title": "Camry 70 or Sonata DN8?", "body": "Updated"})
    db.session.refresh(topic)
    assert topic.title == "Camry 70 or Sonata DN8?"


def test_editing_or_deleting_anothers_post_is_forbidden(client, auth):
    topic = make_topic(make_user("aigerim"))
    post = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    make_user("daniyar")
    auth.login("daniyar")
    assert client.get(f"/forum/p/{post.id}/edit").status_code == 403
    response = post_form(client, f"/forum/t/{topic.id}", f"/forum/p/{post.id}/edit", {"body": "hijacked"})
    assert response.status_code == 403
    response = post_form(client, f"/forum/t/{topic.id}", f"/forum/p/{post.id}/delete", {})
    assert response.status_code == 403
    db.session.refresh(post)
    assert post.body == "Which one would you buy?" and post.deleted_at is None


def test_delete_own_post_is_soft_and_shows_as_deleted(client, auth):
    author = make_user("aigerim")
    topic = make_topic(author)
    post = reply(topic, author, "I regret this remark")
    auth.login("aigerim")
    response = post_form(client, f"/forum/t/{topic.id}", f"/forum/p/{post.id}/delete", {}, follow_redirects=True)
    html = text_of(response)
    assert "This post was deleted." in html
    assert "I regret this remark" not in html
    assert db.session.get(Post, post.id) is not None


def test_locked_topic_refuses_replies_with_a_clear_message(client, auth):
    topic = make_topic(make_user("aigerim"))
    topic.locked = True
    db.session.commit()
    make_user("daniyar")
    auth.login("daniyar")
    html = text_of(client.get(f"/forum/t/{topic.id}"))
    assert "This topic is locked: it no longer accepts replies." in html
    assert 'id="reply-form"' not in html
    response = post_form(client, f"/forum/t/{topic.id}", f"/forum/t/{topic.id}/reply", {"body": "Let me in"})
    assert response.status_code == 403
    assert "This topic is locked: it no longer accepts replies." in text_of(response)
    db.session.refresh(topic)
    assert topic.post_count == 1


# --- moderation ---------------------------------------------------------------------------

MODERATOR_ACTIONS = [
    ("moderate", {"action": "pin"}),
    ("moderate", {"action": "lock"}),
    ("moderate", {"action": "delete"}),
    ("move", {"category": "OTHER"}),
]


@pytest.mark.parametrize(("endpoint", "data"), MODERATOR_ACTIONS)
def test_moderator_actions_by_a_member_are_forbidden(client, auth, endpoint, data):
    topic = make_topic(make_user("aigerim"))
    other = make_category("Tuning", position=2)
    data = {key: (other.id if value == "OTHER" else value) for key, value in data.items()}
    make_user("daniyar")
    auth.login("daniyar")
    response = post_form(client, f"/forum/t/{topic.id}", f"/forum/t/{topic.id}/{endpoint}", data)
    assert response.status_code == 403
    db.session.refresh(topic)
    assert not topic.pinned and not topic.locked and topic.deleted_at is None and topic.category_id != other.id


def test_moderator_restore_post_by_a_member_is_forbidden(client, auth):
    author = make_user("aigerim")
    topic = make_topic(author)
    post = reply(topic, author, "gone")
    post.deleted_at = post.created_at
    db.session.commit()
    auth.login("aigerim")
    assert post_form(client, f"/forum/t/{topic.id}", f"/forum/p/{post.id}/restore", {}).status_code == 403


def test_moderator_pins_locks_moves_and_deletes(client, auth):
    topic = make_topic(make_user("aigerim"), title="Off-topic rant")
    other = make_category("General", position=2)
    make_user("marat", role="moderator")
    auth.login("marat")
    page = f"/forum/t/{topic.id}"
    post_form(client, page, f"{page}/moderate", {"action": "pin"})
    post_form(client, page, f"{page}/moderate", {"action": "lock"})
    response = post_form(client, page, f"{page}/move", {"category": other.id}, follow_redirects=True)
    assert "The topic is moved to General." in text_of(response)
    db.session.refresh(topic)
    assert topic.pinned and topic.locked and topic.category_id == other.id
    post_form(client, page, f"{page}/moderate", {"action": "delete"})
    db.session.refresh(topic)
    assert topic.deleted_at is not None
    actions = set(db.session.scalars(select(AuditLog.action)))
    assert {"forum.pin_topic", "forum.lock_topic", "forum.move_topic", "forum.delete_topic"} <= actions
    auth.logout()
    assert client.get(page).status_code == 404  # gone for everyone else


def test_moderator_deletes_any_post_and_restores_it(client, auth):
    author = make_user("aigerim")
    topic = make_topic(author)
    post = reply(topic, author, "spam spam spam")
    make_user("marat", role="moderator")
    auth.login("marat")
    page = f"/forum/t/{topic.id}"
    html = text_of(post_form(client, page, f"/forum/p/{post.id}/delete", {}, follow_redirects=True))
    assert "This post was deleted." in html
    post_form(client, page, f"/forum/p/{post.id}/restore", {})
    db.session.refresh(post)
    assert post.deleted_at is None


def test_moderator_may_reply_to_a_locked_topic(client, auth):
    topic = make_topic(make_user("aigerim"))
    topic.locked = True
    db.session.commit()
    make_user("marat", role="moderator")
    auth.login("marat")
    response = post_form(client, f"/forum/t/{topic.id}", f"/forum/t/{topic.id}/reply", {"body": "Locked, see rules."})
    assert response.status_code == 302


# --- categories (admins) ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["user", "moderator"])
def test_category_admin_is_for_admins_only(client, auth, role):
    category = make_category()
    make_user("someone", role=role)
    auth.login("someone")
    assert client.get("/forum/admin/categories").status_code == 403
    assert client.get("/forum/admin/categories/new").status_code == 403
    assert client.get(f"/forum/admin/categories/{category.id}/edit").status_code == 403


def test_admin_adds_edits_and_reorders_categories(client, auth):
    make_category("General", position=1)
    make_user("boss", role="admin")
    auth.login("boss")
    page = "/forum/admin/categories/new"
    response = post_form(client, page, page, {"name": "Electric cars", "description": "EVs and hybrids"})
    assert response.status_code == 302
    html = text_of(client.get("/forum/"))
    assert html.index("General") < html.index("Electric cars")
    category = db.session.scalar(select(ForumCategory).where(ForumCategory.slug == "electric-cars"))
    post_form(client, "/forum/admin/categories", f"/forum/admin/categories/{category.id}/move", {"direction": "up"})
    html = text_of(client.get("/forum/"))
    assert html.index("Electric cars") < html.index("General")
    edit = f"/forum/admin/categories/{category.id}/edit"
    response = post_form(client, edit, edit, {"name": "EV club", "slug": "general", "description": ""})
    assert response.status_code == 400
    assert "Another category already uses the address" in text_of(response)
    post_form(client, edit, edit, {"name": "EV club", "slug": "", "description": ""})
    assert client.get("/forum/c/ev-club").status_code == 200


# --- flood control, uploads, notifications, search, profiles -------------------------------


def test_new_accounts_posting_too_fast_get_a_429_with_a_message(client, auth):
    topic = make_topic(make_user("aigerim"))
    make_user("newbie", old=False)
    auth.login("newbie")
    page = f"/forum/t/{topic.id}"
    for number in range(3):
        assert post_form(client, page, f"{page}/reply", {"body": f"message {number}"}).status_code == 302
    response = post_form(client, page, f"{page}/reply", {"body": "one more"})
    assert response.status_code == 429
    assert "New accounts may post 3 times in 5 minutes" in text_of(response)
    db.session.refresh(topic)
    assert topic.post_count == 4


def test_older_accounts_have_a_looser_limit(client, auth):
    topic = make_topic(make_user("aigerim"))
    make_user("veteran")
    auth.login("veteran")
    page = f"/forum/t/{topic.id}"
    statuses = [post_form(client, page, f"{page}/reply", {"body": f"m{n}"}).status_code for n in range(11)]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429


def test_picture_upload_returns_markdown_for_our_uploads(client, auth):
    from tests.images import TEXT_AS_JPEG, jpeg_with_gps

    topic = make_topic(make_user("aigerim"))
    auth.login("aigerim")
    from tests.conftest import csrf_token

    token = csrf_token(client, f"/forum/t/{topic.id}")
    import io

    response = client.post(
        "/forum/upload",
        data={"image": (io.BytesIO(jpeg_with_gps()), "car.jpg")},
        headers={"X-CSRFToken": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    data = response.get_json()
    assert data["url"].startswith("/uploads/posts/") and data["markdown"] == f"![]({data['url']})"
    assert client.get(data["url"]).status_code == 200
    bad = client.post(
        "/forum/upload",
        data={"image": (io.BytesIO(TEXT_AS_JPEG), "car.jpg")},
        headers={"X-CSRFToken": token},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400 and "not a picture" in bad.get_json()["error"]
    page = f"/forum/t/{topic.id}"
    post_form(client, page, f"{page}/reply", {"body": f"My car:\n\n{data['markdown']}"})
    assert f'<img src="{data["url"]}"' in text_of(client.get(page))


def test_mentions_replies_and_quotes_notify_once_each(client, auth):
    aigerim = make_user("aigerim")
    daniyar = make_user("daniyar")
    make_user("marat")
    topic = make_topic(aigerim, title="Battery at −30")
    quoted = reply(topic, daniyar, "AGM is worth it.")
    auth.login("marat")
    page = f"/forum/t/{topic.id}"
    response = post_form(
        client,
        page,
        f"{page}/reply",
        {"body": "> AGM is worth it.\n\nAgreed, @daniyar and @nobody", "quote_id": quoted.id},
    )
    assert response.status_code == 302
    rows = [row for row in db.session.scalars(select(Notification)) if row.payload["who"] == "marat"]
    # aigerim: her topic got a reply; daniyar: quoted and mentioned, one notification.
    assert sorted((row.user.username, row.kind) for row in rows) == [("aigerim", "reply"), ("daniyar", "quote")]
    payload = rows[0].payload
    assert payload["topic"] == "Battery at −30" and payload["url"].startswith("/forum/p/")
    html = text_of(client.get(page))
    assert '<a href="/u/daniyar" class="mention"' in html and "@nobody" in html


def test_a_mention_alone_notifies_the_mentioned_user(client, auth):
    aigerim = make_user("aigerim")
    make_user("daniyar")
    topic = make_topic(aigerim)
    auth.login("aigerim")
    page = f"/forum/t/{topic.id}"
    post_form(client, page, f"{page}/reply", {"body": "What do you think, @Daniyar?"})
    rows = db.session.scalars(select(Notification)).all()
    assert [(row.user.username, row.kind) for row in rows] == [("daniyar", "mention")]


def test_search_finds_topics_and_posts_and_escapes_wildcards(client):
    author = make_user("aigerim")
    topic = make_topic(author, title="Timing chain noise on 2AZ", body="Rattles on cold start")
    reply(topic, author, "Discount of 100% is a scam")
    make_topic(author, title="Other topic", body="Nothing to see here")
    html = text_of(client.get("/forum/search?q=rattles"))
    assert "Timing chain noise on 2AZ" in html
    assert "Other topic" not in html
    assert "Timing chain noise on 2AZ" in text_of(client.get("/forum/search?q=timing"))
    percent = text_of(client.get("/forum/search?q=100%25"))
    assert "Discount of 100% is a scam" in percent and "Nothing to see here" not in percent
    assert "Nothing found" in text_of(client.get("/forum/search?q=zzzz_%25"))


def test_profile_lists_forum_topics_and_posts(client):
    author = make_user("aigerim")
    topic = make_topic(author, title="Hello from Almaty")
    reply(topic, author, "And a reply of mine")
    html = text_of(client.get("/u/aigerim"))
    assert "Forum topics" in html and "Forum posts" in html
    assert "Hello from Almaty" in html and "And a reply of mine" in html


def test_posts_are_a_moderation_target(client, auth):
    from app.core.moderation import targets

    author = make_user("aigerim")
    topic = make_topic(author)
    post = reply(topic, author, "Buy followers cheap")
    target = targets()["post"]
    assert target.load(post.id) is post
    assert "Buy followers cheap" in target.excerpt(post)
    target.remove(post)
    db.session.commit()
    assert target.is_removed(post)
    assert "This post was deleted." in text_of(client.get(f"/forum/t/{topic.id}"))
    target.restore(post)
    db.session.commit()
    assert "Buy followers cheap" in text_of(client.get(f"/forum/t/{topic.id}"))


def test_members_see_a_report_link_on_others_posts(client, auth):
    topic = make_topic(make_user("aigerim"))
    post = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    make_user("daniyar")
    auth.login("daniyar")
    assert f'href="/report/post/{post.id}"' in text_of(client.get(f"/forum/t/{topic.id}"))


def test_a_listing_link_alone_on_a_line_becomes_a_listing_card(client, auth, app):
    from tests.factories import make_listing

    seller = make_user("autohouse", role="dealer")
    listing = make_listing(seller, model="Camry", price=13_900_000)
    topic = make_topic(make_user("aigerim"))
    auth.login("aigerim")
    page = f"/forum/t/{topic.id}"
    body = f"How about this one?\n\n{app.config['SITE_URL']}/listings/{listing.id}\n\nor /listings/{listing.id} maybe"
    post_form(client, page, f"{page}/reply", {"body": body})
    html = text_of(client.get(page))
    assert html.count('class="card forum-listing-card') == 1
    card = html[html.index("forum-listing-card") :]
    assert f'href="/listings/{listing.id}"' in card[:300]
    assert "Toyota Camry 2018" in card and "13" in card and "Almaty" in card
    assert f"or /listings/{listing.id} maybe" in html  # inside a sentence it stays text


def test_views_are_buffered_and_written_in_batches(client, app):
    topic = make_topic(make_user("aigerim"))
    app.config["FORUM_VIEW_FLUSH_SECONDS"] = 3600
    try:
        client.get(f"/forum/t/{topic.id}")
        assert "2 views" in text_of(client.get(f"/forum/t/{topic.id}"))  # pending ones are shown
        db.session.refresh(topic)
        assert topic.views == 0  # not written yet
    finally:
        app.config["FORUM_VIEW_FLUSH_SECONDS"] = 0
    assert "3 views" in text_of(client.get(f"/forum/t/{topic.id}"))
    db.session.refresh(topic)
    assert topic.views == 3
