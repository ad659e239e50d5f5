"""Issue 13 item 7: a creation form submitted twice - a double click, a resend, two requests
at the same moment - makes one row, and the repeat lands on it; an edit from a tab opened
before someone else's save is refused with the typed text kept, nothing overwritten."""

from __future__ import annotations

import re
import threading
from types import SimpleNamespace

import requests
from sqlalchemy import func, select

from app.extensions import db
from app.models import Listing, Post, Report, Review, Topic, User
from tests import factories
from tests.chat.live import sign_in
from tests.conftest import DEFAULT_PASSWORD
from tests.forum.helpers import make_category, make_topic, make_user
from tests.listings.helpers import listing_form
from tests.profile.helpers import say

CHANGED = "This changed since you opened it"


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

    def twice(path: str, page: str, fields: dict) -> None:
        html = client.get(page).get_data(as_text=True)
        data = {"csrf_token": hidden(html, "csrf_token"), "form_token": hidden(html, "form_token"), **fields}
        first, second = client.post(path, data=data), client.post(path, data=data)
        assert first.status_code == second.status_code == 302, (path, first.status_code, second.status_code)
        assert first.headers["Location"] == second.headers["Location"]

    new_topic = f"/forum/c/{category.slug}/new"
    twice(new_topic, new_topic, {"title": "Winter tyres", "body": "Which ones for Astana?"})
    assert count(Topic) == 1
    topic = db.session.scalar(select(Topic))
    reply = f"/forum/t/{topic.id}/reply"
    twice(reply, reply, {"body": "Nokian, studded."})
    assert count(Post) == 2
    car = factories.make_listing(seller)
    say(writer, seller, "Is it for sale?", listing=car)  # a review needs a chat about the car
    say(seller, writer, "Yes.")
    twice("/u/seller/review", "/u/seller", {"listing_id": car.id, "rating": "5", "text": "Honest seller."})
    assert count(Review) == 1
    report = f"/report/user/{seller.id}"
    twice(report, report, {"category": "fraud", "reason": "Asks for prepayment."})
    assert count(Report) == 1


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
