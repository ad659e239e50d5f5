"""Issue 13 item 7: a creation form submitted twice - a double click, a resend, two requests
at the same moment - makes one row, and the repeat lands on it; one posted without its
one-time token is refused with a reason and makes nothing; an edit from a tab opened before
someone else's save is refused with the typed text kept, nothing overwritten."""

from __future__ import annotations

import re
import threading
from types import SimpleNamespace

import requests
from sqlalchemy import func, select

from app.core.audit import AuditLog
from app.extensions import db
from app.models import ForumCategory, Listing, Notification, Page, Post, Report, Review, SavedSearch, Topic, User
from tests import factories
from tests.chat.live import sign_in
from tests.conftest import DEFAULT_PASSWORD
from tests.forum.helpers import make_category, make_topic, make_user
from tests.listings.helpers import listing_form
from tests.profile.helpers import say

CHANGED = "This changed since you opened it"
EXPIRED = "The form has expired. Reload the page and try again."


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    assert match, f"no {name} field"
    return match.group(1)


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_double_submitted_listing_form_makes_one_listing_and_the_repeat_lands_on_it(client, auth):
    factories.make_user("seller")
    auth.login("seller")
    data = listing_form(client)
    data["form_token"] = hidden(client.get("/listings/new").get_data(as_text=True), "form_token")
    first = client.post("/listings/new", data=data)
    second = client.post("/listings/new", data=data)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert count(Listing) == 1
    assert "This form was already sent" in client.get(second.headers["Location"]).get_data(as_text=True)


def test_a_fresh_form_makes_a_second_listing(client, auth):
    factories.make_user("seller")
    auth.login("seller")
    for _ in range(2):
        data = listing_form(client)
        data["form_token"] = hidden(client.get("/listings/new").get_data(as_text=True), "form_token")
        assert client.post("/listings/new", data=data).status_code == 302
    assert count(Listing) == 2


def test_two_simultaneous_submits_of_one_form_make_one_listing(live_server):
    """The attack from the issue: the same form posted twice at once (it made 3 listings)."""
    factories.make_user("seller")
    http = requests.Session()
    sign_in(live_server.url, "seller", DEFAULT_PASSWORD, http)
    page = SimpleNamespace(
        get=lambda path: SimpleNamespace(get_data=lambda as_text: http.get(live_server.url + path).text)
    )
    data = listing_form(page)
    data["form_token"] = hidden(http.get(live_server.url + "/listings/new").text, "form_token")
    cookies = http.cookies.get_dict()
    answers: list[requests.Response] = []
    start = threading.Barrier(4)

    def submit() -> None:
        start.wait()
        answers.append(
            requests.post(
                live_server.url + "/listings/new", data=data, cookies=cookies, allow_redirects=False, timeout=60
            )
        )

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert count(Listing) == 1
    listing = db.session.scalar(select(Listing))
    for answer in answers:  # each one sent to the one listing (or asked to retry a moment later)
        assert answer.status_code in (302, 503), answer.status_code
        if answer.status_code == 302:
            assert answer.headers["Location"].endswith(f"/listings/{listing.id}/edit#photos")
    assert any(answer.status_code == 302 for answer in answers)


def test_double_submitted_topic_reply_review_and_report_each_make_one_row(client, auth):
    writer = make_user("writer")
    seller = factories.make_user("seller")
    category = make_category()
    auth.login("writer")

    new_topic = f"/forum/c/{category.slug}/new"
    submit_twice(client, new_topic, new_topic, {"title": "Winter tyres", "body": "Which ones for Astana?"})
    assert count(Topic) == 1
    topic = db.session.scalar(select(Topic))
    reply = f"/forum/t/{topic.id}/reply"
    submit_twice(client, reply, reply, {"body": "Nokian, studded."})
    assert count(Post) == 2
    car = factories.make_listing(seller)
    say(writer, seller, "Is it for sale?", listing=car)  # a review needs a chat about the car
    say(seller, writer, "Yes.")
    submit_twice(
        client, "/u/seller/review", "/u/seller", {"listing_id": car.id, "rating": "5", "text": "Honest seller."}
    )
    assert count(Review) == 1
    report = f"/report/user/{seller.id}"
    submit_twice(client, report, report, {"category": "fraud", "reason": "Asks for prepayment."})
    assert count(Report) == 1


def submit_twice(client, path: str, page: str, fields: dict) -> None:
    """The form on `page` posted twice with the same tokens: both land on the same place."""
    html = client.get(page).get_data(as_text=True)
    data = {"csrf_token": hidden(html, "csrf_token"), "form_token": hidden(html, "form_token"), **fields}
    first, second = client.post(path, data=data), client.post(path, data=data)
    assert first.status_code == second.status_code == 302, (path, first.status_code, second.status_code)
    assert first.headers["Location"] == second.headers["Location"]


def test_double_submitted_saved_search_and_moderator_forms_act_once(client, auth):
    factories.make_user("chief", role="admin")
    member = make_user("writer")
    auth.login("chief")
    submit_twice(client, "/listings/saved", "/listings/?q=camry", {"name": "Camry", "query": "q=camry"})
    assert count(SavedSearch) == 1
    warn = f"/admin/content/user/{member.id}/warn"
    submit_twice(client, warn, warn, {"message": "Please stop posting phone numbers in titles."})
    assert db.session.scalar(select(func.count()).where(Notification.kind == "warning")) == 1
    ban = f"/admin/users/{member.id}/ban"
    submit_twice(client, ban, ban, {"duration": "7", "reason": "Spam"})
    assert db.session.scalar(select(func.count()).where(AuditLog.action == "ban")) == 1
    new_category = "/forum/admin/categories/new"
    submit_twice(client, new_category, new_category, {"name": "Electric cars", "slug": ""})
    assert count(ForumCategory) == 1
    page = "/admin/pages/rules/ru"
    submit_twice(client, page, page, {"title": "Правила", "body_markdown": "Будьте вежливы."})
    assert count(Page) == 1


def test_a_creation_form_without_its_token_is_refused_with_a_reason_and_makes_nothing(client, auth):
    """A script, or a page opened before tokens existed, posts no token: it is told why,
    nothing is made, and the form comes back with the text kept and a fresh token."""
    make_user("writer")
    category = make_category()
    auth.login("writer")
    path = f"/forum/c/{category.slug}/new"
    fields = {"csrf_token": hidden(client.get(path).get_data(as_text=True), "csrf_token"), "title": "Winter tyres"}
    refused = client.post(path, data={**fields, "body": "Which ones for Astana?"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and EXPIRED in page and "Which ones for Astana?" in page
    assert count(Topic) == 0
    again = client.post(path, data={**fields, "form_token": hidden(page, "form_token"), "body": "Which ones?"})
    assert again.status_code == 302 and count(Topic) == 1


def test_no_creation_form_accepts_a_post_without_its_token(client, auth):
    chief = factories.make_user("chief", role="admin")
    seller = factories.make_user("seller")
    topic = make_topic(author=seller)
    car = factories.make_listing(seller)
    say(chief, seller, "Is it for sale?", listing=car)  # a review needs a chat about the car
    say(seller, chief, "Yes.")
    auth.login("chief")
    posts = {
        "/listings/new": (listing_form(client), Listing),
        f"/forum/t/{topic.id}/reply": ({"body": "Nokian, studded."}, Post),
        "/u/seller/review": ({"listing_id": car.id, "rating": "5", "text": "Honest seller."}, Review),
        f"/report/user/{seller.id}": ({"category": "fraud", "reason": "Asks for prepayment."}, Report),
        "/listings/saved": ({"name": "Camry", "query": "q=camry"}, SavedSearch),
        f"/admin/content/user/{seller.id}/warn": ({"message": "Stop it."}, Notification),
        f"/admin/users/{seller.id}/ban": ({"duration": "7", "reason": "Spam"}, AuditLog),
        "/forum/admin/categories/new": ({"name": "Electric cars"}, ForumCategory),
        "/admin/pages/rules/ru": ({"title": "Правила", "body_markdown": "Будьте вежливы."}, Page),
    }
    token = hidden(client.get("/settings").get_data(as_text=True), "csrf_token")
    for path, (fields, model) in posts.items():
        before = count(model)
        data = {**fields, "csrf_token": token}
        data.pop("form_token", None)
        answer = client.post(path, data=data, follow_redirects=True)
        assert answer.status_code in (200, 400), (path, answer.status_code)
        assert EXPIRED in answer.get_data(as_text=True), path
        assert count(model) == before, path


def test_a_stale_listing_tab_is_told_and_overwrites_nothing(client, auth):
    seller = factories.make_user("seller")
    listing = factories.make_listing(seller)
    auth.login("seller")
    path = f"/listings/{listing.id}/edit"
    tab_one = hidden(client.get(path).get_data(as_text=True), "edit_version")
    tab_two = hidden(client.get(path).get_data(as_text=True), "edit_version")
    saved = client.post(path, data=listing_form(client, path, edit_version=tab_one, price=11_900_000))
    assert saved.status_code == 302
    stale = client.post(path, data=listing_form(client, path, edit_version=tab_two, price=9_000_000))
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert CHANGED in page and 'value="9000000"' in page  # the typed price is kept
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).price == 11_900_000
    again = client.post(
        path, data=listing_form(client, path, edit_version=hidden(page, "edit_version"), price=9_000_000)
    )
    assert again.status_code == 302  # saving the kept form again replaces it knowingly
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).price == 9_000_000


def test_a_stale_post_edit_and_a_stale_profile_tab_are_refused(client, auth):
    author = make_user("writer")
    topic = make_topic(author=author)
    post = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    auth.login("writer")
    path = f"/forum/p/{post.id}/edit"
    html = client.get(path).get_data(as_text=True)
    fields = {
        "csrf_token": hidden(html, "csrf_token"),
        "edit_version": hidden(html, "edit_version"),
        "title": topic.title,
    }
    assert client.post(path, data={**fields, "body": "First tab's text."}).status_code == 302
    stale = client.post(path, data={**fields, "body": "Second tab's text."})
    assert stale.status_code == 409 and CHANGED in stale.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Post, post.id).body == "First tab's text."

    html = client.get("/settings").get_data(as_text=True)
    fields = {"csrf_token": hidden(html, "csrf_token"), "profile_version": hidden(html, "profile_version"), "phone": ""}
    assert client.post("/settings", data={**fields, "city": "Astana"}).status_code == 302
    stale = client.post("/settings", data={**fields, "city": "Almaty"})
    assert stale.status_code == 409 and CHANGED in stale.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, author.id).city == "Astana"
