"""/admin: who may see and do what, the moderation actions, bans, dealers, audit log, pages."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.admin.services import file_report
from app.core.audit import AuditLog
from app.core.time import utcnow
from app.extensions import db as _db
from app.models import Notification, Page, Report, User
from tests.conftest import csrf_token, form_tokens
from tests.factories import make_user

# (method, path template); {u} is a plain user's id, {d} a dealer's id
MODERATOR_PAGES = [
    ("GET", "/admin/"),
    ("GET", "/admin/?status=closed"),
    ("GET", "/admin/bans"),
    ("GET", "/admin/dealers"),
    ("GET", "/admin/users/{u}/ban"),
    ("POST", "/admin/users/{u}/ban"),
    ("POST", "/admin/users/{u}/unban"),
    ("POST", "/admin/reports/user/{u}/dismiss"),
    ("POST", "/admin/content/user/{u}/remove"),
    ("POST", "/admin/content/user/{u}/restore"),
    ("GET", "/admin/content/user/{u}/warn"),
    ("POST", "/admin/content/user/{u}/warn"),
    ("POST", "/admin/dealers/{d}/verify"),
]
ADMIN_PAGES = [
    ("GET", "/admin/users"),
    ("GET", "/admin/users?q=someone"),
    ("POST", "/admin/users/{u}/role"),
    ("GET", "/admin/audit"),
    ("GET", "/admin/pages"),
    ("GET", "/admin/pages/about"),
    ("POST", "/admin/pages/about"),
    ("GET", "/admin/pages/about/ru"),
    ("POST", "/admin/pages/about/ru"),
]


@pytest.fixture
def people(db):
    return {
        "user": make_user("someone"),
        "dealer": make_user("dealer", role="dealer"),
        "moderator": make_user("moder", role="moderator"),
        "admin": make_user("boss", role="admin"),
        "plain": make_user("plain"),
    }


def request(client, method: str, path: str, data: dict | None = None):
    """A POST carries the tokens of the form its page shows (a form that creates something
    has a one-time token too), or for a button the CSRF token of the home page."""
    if method == "GET":
        return client.get(path)
    form_page = path if client.get(path).status_code == 200 else "/"
    return client.post(path, data={**form_tokens(client, form_page), **(data or {})})


@pytest.mark.parametrize(
    ("role", "pages", "expected"),
    [
        ("plain", MODERATOR_PAGES + ADMIN_PAGES, 403),
        ("dealer", MODERATOR_PAGES + ADMIN_PAGES, 403),
        ("moderator", ADMIN_PAGES, 403),
    ],
)
def test_access_matrix_refuses(client, auth, people, role, pages, expected):
    auth.login(people[role].username)
    for method, template in pages:
        path = template.format(u=people["user"].id, d=people["dealer"].id)
        response = request(client, method, path, {"role": "admin", "reason": "x", "message": "x", "title": "x"})
        assert response.status_code == expected, (role, method, path)
    assert people["user"].role == "user" and not people["user"].is_banned
    assert _db.session.scalar(select(AuditLog)) is None


@pytest.mark.parametrize("method_path", MODERATOR_PAGES + ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, people, method_path):
    method, template = method_path
    path = template.format(u=people["user"].id, d=people["dealer"].id)
    response = client.get(path) if method == "GET" else client.post(path)
    assert response.status_code in (302, 400)  # 400: a POST without a CSRF token never reaches the view
    if response.status_code == 302:
        assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_moderator_pages_open_for_moderators_and_admins(client, auth, people, role):
    auth.login(people[role].username)
    for method, template in MODERATOR_PAGES:
        if method == "GET":
            path = template.format(u=people["user"].id, d=people["dealer"].id)
            assert client.get(path).status_code == 200, path


def test_admin_pages_open_for_admins(client, auth, people):
    auth.login("boss")
    assert 'href="/forum/admin/categories"' in client.get("/admin/").get_data(as_text=True)
    for method, template in ADMIN_PAGES:
        if method == "GET":
            assert client.get(template).status_code == 200, template


def test_moderators_see_no_admin_only_links(client, auth, people):
    auth.login("moder")
    html = client.get("/admin/").get_data(as_text=True)
    assert "/admin/audit" not in html and "/admin/users" not in html and "/forum/admin/categories" not in html


def test_reports_flow_into_the_queue_in_context(client, auth, people):
    people["user"].about = "Selling cheap Camry, pay in advance to my card"
    file_report(people["plain"], "user", people["user"].id, "Asks for prepayment")
    file_report(people["dealer"], "user", people["user"].id, "Scammer")
    _db.session.commit()
    auth.login("moder")
    html = client.get("/admin/").get_data(as_text=True)
    assert "@someone" in html and "pay in advance to my card" in html
    assert "Asks for prepayment" in html and "Scammer" in html and "2 reports" in html


def test_dismiss_closes_reports_and_is_logged(client, auth, people):
    file_report(people["plain"], "user", people["user"].id, "Boring profile")
    _db.session.commit()
    auth.login("moder")
    request(client, "POST", f"/admin/reports/user/{people['user'].id}/dismiss")
    assert _db.session.scalar(select(Report)).status == "dismissed"
    assert "No open reports" in client.get("/admin/").get_data(as_text=True)
    entry = _db.session.scalar(select(AuditLog))
    assert (entry.action, entry.actor_id, entry.target_id) == ("dismiss", people["moderator"].id, people["user"].id)


def test_warn_sends_the_author_a_notification(client, auth, people):
    file_report(people["plain"], "user", people["user"].id, "Rude in chat")
    _db.session.commit()
    auth.login("moder")
    path = f"/admin/content/user/{people['user'].id}/warn"
    request(client, "POST", path, {"message": "Please keep it civil in chat."})
    note = _db.session.scalar(select(Notification).where(Notification.user_id == people["user"].id))
    assert note.kind == "warning" and note.payload["text"] == "Please keep it civil in chat."
    assert _db.session.scalar(select(Report)).status == "actioned"
    assert _db.session.scalar(select(AuditLog)).action == "warn"


def test_ban_for_a_period_then_unban(client, auth, people):
    auth.login("moder")
    user_id = people["user"].id
    request(client, "POST", f"/admin/users/{user_id}/ban", {"duration": "7", "reason": "Spam in the forum"})
    user = _db.session.get(User, user_id)
    _db.session.refresh(user)
    assert user.is_banned and user.ban_reason == "Spam in the forum"
    assert timedelta(days=6) < user.banned_until - utcnow() <= timedelta(days=7)
    assert "Spam in the forum" in client.get("/admin/bans").get_data(as_text=True)
    request(client, "POST", f"/admin/users/{user_id}/unban")
    _db.session.refresh(user)
    assert not user.is_banned
    assert [e.action for e in _db.session.scalars(select(AuditLog).order_by(AuditLog.id))] == ["ban", "unban"]


def test_a_ban_needs_a_reason(client, auth, people):
    auth.login("moder")
    response = request(client, "POST", f"/admin/users/{people['user'].id}/ban", {"duration": "forever", "reason": ""})
    assert "Give a reason" in response.get_data(as_text=True)
    _db.session.refresh(people["user"])
    assert not people["user"].is_banned


def test_moderators_cannot_ban_moderators_or_admins(client, auth, people):
    other = make_user("moder2", role="moderator")
    auth.login("moder")
    for target in (other, people["admin"], people["moderator"]):
        response = request(client, "POST", f"/admin/users/{target.id}/ban", {"duration": "1", "reason": "x"})
        assert response.status_code == 403


def test_admins_change_roles_but_not_their_own(client, auth, people):
    auth.login("boss")
    request(client, "POST", f"/admin/users/{people['user'].id}/role", {"role": "moderator"})
    request(client, "POST", f"/admin/users/{people['admin'].id}/role", {"role": "user"})
    _db.session.refresh(people["user"])
    _db.session.refresh(people["admin"])
    assert people["user"].role == "moderator" and people["admin"].role == "admin"
    entry = _db.session.scalar(select(AuditLog))
    assert entry.action == "role" and "user → moderator" in entry.details
    assert "user → moderator" in client.get("/admin/audit").get_data(as_text=True)


def test_user_search_finds_by_name_and_email(client, auth, people):
    auth.login("boss")
    html = client.get("/admin/users?q=SOMEONE@example").get_data(as_text=True)
    assert "@someone" in html and "@plain" not in html
    assert "No users found" in client.get("/admin/users?q=%25_nobody").get_data(as_text=True)


def test_dealer_verification(client, auth, people):
    people["dealer"].dealer_profile.verified_at = None
    _db.session.commit()
    auth.login("moder")
    assert "not verified" in client.get("/admin/dealers").get_data(as_text=True)
    request(client, "POST", f"/admin/dealers/{people['dealer'].id}/verify", {"verified": "1"})
    _db.session.refresh(people["dealer"].dealer_profile)
    assert people["dealer"].dealer_profile.is_verified
    assert _db.session.scalar(select(AuditLog)).action == "verify_dealer"


def test_admins_edit_static_pages_rendered_safely(client, auth, people):
    auth.login("boss")
    body = "## Be nice\n\nNo <script>alert(1)</script> here. [Contacts](/p/contacts)"
    response = request(client, "POST", "/admin/pages/rules", {"title": "Rules", "body_markdown": body})
    assert response.headers["Location"].endswith("/p/rules")
    html = client.get("/p/rules").get_data(as_text=True)
    assert "<h2>Be nice</h2>" in html and "<script>alert(1)" not in html and 'href="/p/contacts"' in html
    assert _db.session.scalar(select(Page)).slug == "rules"
    assert _db.session.scalar(select(AuditLog)).action == "edit_page"
    assert client.get("/admin/pages/whatever").status_code == 404


def test_static_pages_seeded_and_linked_in_the_footer(client, runner, people):
    assert client.get("/p/about").status_code == 404
    result = runner.invoke(args=["seed"])
    assert "static pages: 12 created" in result.output  # 4 pages in ru, kk and en
    assert "static pages" not in runner.invoke(args=["seed"]).output  # idempotent
    html = client.get("/").get_data(as_text=True)
    for slug in ("about", "rules", "contacts", "privacy"):
        assert f'href="/p/{slug}"' in html
        assert client.get(f"/p/{slug}").status_code == 200
    assert "moderators read every report" in client.get("/p/about").get_data(as_text=True)


def test_pages_keep_to_the_csp(client, auth, people, runner):
    """No inline script, event handler or style attribute on any page of this feature."""
    import re

    runner.invoke(args=["seed"])
    file_report(people["plain"], "user", people["user"].id, "Report text")
    _db.session.commit()
    auth.login("boss")
    paths = [
        template.format(u=people["user"].id, d=people["dealer"].id) for m, template in MODERATOR_PAGES + ADMIN_PAGES
    ]
    paths += [f"/report/user/{people['user'].id}", "/notifications/", "/notifications/settings", "/p/about"]
    for path in set(paths):
        html = client.get(path).get_data(as_text=True)
        # JSON data blocks (the translations for JavaScript) are never executed
        assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", html), path
        assert not re.search(r"\s(on[a-z]+|style)=\"", html), path


def test_forum_posts_removed_and_restored_from_the_queue(client, auth, people):
    from tests.forum.helpers import make_topic, reply

    topic = make_topic(people["plain"], title="Tyres for winter")
    post = reply(topic, people["user"], "Visit my shop scam.example")
    file_report(people["dealer"], "post", post.id, "Advertising")
    _db.session.commit()
    auth.login("moder")
    assert "Visit my shop scam.example" in client.get("/admin/").get_data(as_text=True)
    assert '<span class="visually-hidden">1 open report</span>' in client.get("/").get_data(as_text=True)
    request(client, "POST", f"/admin/content/post/{post.id}/remove")
    _db.session.refresh(post)
    assert post.is_deleted
    assert "scam.example" not in client.get(f"/forum/t/{topic.id}").get_data(as_text=True).split("<details")[0]
    closed = client.get("/admin/?status=closed").get_data(as_text=True)
    assert "acted on" in closed and "Restore" in closed
    request(client, "POST", f"/admin/content/post/{post.id}/restore")
    _db.session.refresh(post)
    assert not post.is_deleted
    actions = [e.action for e in _db.session.scalars(select(AuditLog).order_by(AuditLog.id))]
    assert actions == ["remove", "restore"]
    assert (
        client.post("/admin/content/post/999999/remove", data={"csrf_token": csrf_token(client, "/")}).status_code
        == 404
    )


def test_plain_users_see_no_report_badge_or_moderation_link(client, auth, people):
    file_report(people["plain"], "user", people["user"].id, "x")
    _db.session.commit()
    auth.login("dealer")
    html = client.get("/").get_data(as_text=True)
    assert "open reports" not in html and "/admin/" not in html


def test_the_matrix_covers_every_admin_route(app):
    """A new /admin route must be added to the access matrix above."""
    import re

    covered = {(m, re.sub(r"\{[ud]\}", "ID", t.split("?")[0])) for m, t in MODERATOR_PAGES + ADMIN_PAGES}
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin."):
            continue
        path = re.sub(r"<int:[a-z_]+>", "ID", rule.rule).replace("<target_type>", "user").replace("<slug>", "about")
        path = path.replace("<locale>", "ru")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (method, path) in covered, (method, rule.rule)
