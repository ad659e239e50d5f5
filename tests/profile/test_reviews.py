"""Reviews bound to a real deal (issue 17 item 1): a member reviews a seller about one of the
seller's cars only after a chat about it in which both wrote; one review per car and author;
the seller answers once, publicly; reviews can be reported and removed by moderators; older
reviews without a car keep showing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Notification, Report, Review
from tests import factories
from tests.conftest import csrf_token
from tests.profile.helpers import form_fields, say

NO_DEAL = "You can review a seller after a chat with them about one of their cars in which you both wrote."


@pytest.fixture
def deal(app):
    """A seller with two cars, a buyer signed in below, and a stranger."""
    seller = factories.make_user("seller", display_name="Marat")
    return {
        "seller": seller,
        "buyer": factories.make_user("buyer", display_name="Aigerim"),
        "camry": factories.make_listing(seller, model="Camry"),
        "rav4": factories.make_listing(seller, model="RAV4", year=2020),
    }


def post_review(client, listing_id, rating: str = "5", text: str = "Honest seller, the car was as described."):
    data = {
        **form_fields(client, "/u/seller"),
        "listing_id": str(listing_id),
        "rating": rating,
        "text": text,
    }
    return client.post("/u/seller/review", data=data, follow_redirects=True)


def review_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Review))


def test_a_review_without_a_conversation_about_the_car_is_refused(client, auth, deal):
    auth.login("buyer")
    page = client.get("/u/seller").get_data(as_text=True)
    assert "Review this seller" not in page and NO_DEAL in page
    assert NO_DEAL in post_review(client, deal["camry"].id).get_data(as_text=True)
    # the buyer asked about the car but the seller never answered: no deal yet
    say(deal["buyer"], deal["seller"], "Is the Camry still for sale?", listing=deal["camry"])
    assert NO_DEAL in post_review(client, deal["camry"].id).get_data(as_text=True)
    # both wrote, but before the car came up: still not a conversation about it
    say(deal["seller"], deal["buyer"], "Hello!")
    assert review_count() == 0


def test_after_a_chat_about_the_car_in_which_both_wrote_the_review_is_accepted(client, auth, deal):
    say(deal["buyer"], deal["seller"], "Is the Camry still for sale?", listing=deal["camry"])
    say(deal["seller"], deal["buyer"], "Yes, come on Saturday.")
    auth.login("buyer")
    page = client.get("/u/seller").get_data(as_text=True)
    assert "Review this seller" in page and "Toyota Camry 2018" in page
    assert "Toyota RAV4" not in page.split("Review this seller")[1]  # not talked about: not offered
    page = post_review(client, deal["camry"].id, "4").get_data(as_text=True)
    assert "Thank you, your review is published." in page
    review = db.session.scalar(select(Review))
    assert (review.listing_id, review.rating, review.author_id) == (deal["camry"].id, 4, deal["buyer"].id)
    assert "About the car:" in page and f'href="/listings/{deal["camry"].id}">Toyota Camry 2018</a>' in page
    note = db.session.scalar(select(Notification).where(Notification.user_id == deal["seller"].id))
    assert note.kind == "review" and note.payload["url"] == f"/u/seller#review-{review.id}"
    # a car they did not talk about is refused
    assert NO_DEAL in post_review(client, deal["rav4"].id).get_data(as_text=True)
    assert review_count() == 1


def test_one_review_per_car_and_author(client, auth, deal):
    say(deal["buyer"], deal["seller"], "About the Camry", listing=deal["camry"])
    say(deal["buyer"], deal["seller"], "And the RAV4?", listing=deal["rav4"])
    say(deal["seller"], deal["buyer"], "Both are here.")
    auth.login("buyer")
    post_review(client, deal["camry"].id)
    again = post_review(client, deal["camry"].id, "1", "Changed my mind").get_data(as_text=True)
    assert "Not a valid choice" in again  # the reviewed car is no longer offered
    assert review_count() == 1
    post_review(client, deal["rav4"].id, "3", "The RAV4 needed new tyres.")
    assert review_count() == 2
    assert "Review this seller" not in client.get("/u/seller").get_data(as_text=True)  # nothing left to review


def test_nobody_reviews_themselves(client, auth, deal):
    auth.login("seller")
    response = client.post(
        "/u/seller/review",
        data={
            "csrf_token": csrf_token(client, "/u/seller"),
            "listing_id": deal["camry"].id,
            "rating": "5",
            "text": "me",
        },
    )
    assert response.status_code == 403 and review_count() == 0


def reviewed(deal) -> Review:
    say(deal["buyer"], deal["seller"], "About the Camry", listing=deal["camry"])
    say(deal["seller"], deal["buyer"], "Welcome.")
    review = Review(
        author_id=deal["buyer"].id, seller_id=deal["seller"].id, listing_id=deal["camry"].id, rating=2, text="Late."
    )
    db.session.add(review)
    db.session.commit()
    return review


def reply(client, review, text: str):
    data = {"csrf_token": csrf_token(client, "/u/seller"), "reply": text}
    return client.post(f"/u/seller/reviews/{review.id}/reply", data=data, follow_redirects=True)


def test_the_seller_answers_once_publicly(client, auth, deal):
    review = reviewed(deal)
    factories.make_user("stranger")
    auth.login("stranger")
    assert client.post(f"/u/seller/reviews/{review.id}/reply", data={"reply": "x"}).status_code in (400, 403)
    assert reply(client, review, "Not the seller").status_code == 403
    auth.logout()
    auth.login("seller")
    assert "Answer publicly" in client.get("/u/seller").get_data(as_text=True)
    page = reply(client, review, "Sorry, the traffic was terrible.").get_data(as_text=True)
    assert "Your answer is published." in page and "Answer from the seller" in page
    second = reply(client, review, "And another thing").get_data(as_text=True)
    assert "You have already answered this review." in second and "And another thing" not in second
    db.session.expire_all()
    assert db.session.get(Review, review.id).reply == "Sorry, the traffic was terrible."
    note = db.session.scalar(select(Notification).where(Notification.user_id == deal["buyer"].id))
    assert note.kind == "review_reply" and note.payload["actor"] == "Marat"
    auth.logout()
    public = client.get("/u/seller").get_data(as_text=True)  # a guest sees the answer
    assert "Sorry, the traffic was terrible." in public and "Answer publicly" not in public


def test_a_review_is_reported_and_removed_from_the_moderation_queue(client, auth, deal):
    review = reviewed(deal)
    auth.login("seller")
    page = client.get("/u/seller").get_data(as_text=True)
    assert f"/report/review/{review.id}" in page
    path = f"/report/review/{review.id}"
    form = client.get(path).get_data(as_text=True)
    assert "Review" in form and "Already sold" not in form
    response = client.post(path, data={**form_fields(client, path), "category": "offensive"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/u/seller#review-{review.id}")
    report = db.session.scalar(select(Report))
    assert (report.target_type, report.target_id, report.category) == ("review", review.id, "offensive")
    auth.logout()
    auth.login("buyer")
    assert f"/report/review/{review.id}" not in client.get("/u/seller").get_data(as_text=True)  # one's own
    auth.logout()
    factories.make_user("moder", role="moderator")
    auth.login("moder")
    queue = client.get("/admin/").get_data(as_text=True)
    assert "@buyer → @seller (Toyota Camry 2018)" in queue and "Late." in queue
    client.post(f"/admin/content/review/{review.id}/remove", data={"csrf_token": csrf_token(client, "/admin/")})
    page = client.get("/u/seller").get_data(as_text=True)
    assert "Late." not in page and "No reviews yet." in page and 'id="profile-rating"' not in page
    client.post(f"/admin/content/review/{review.id}/restore", data={"csrf_token": csrf_token(client, "/admin/")})
    assert "Late." in client.get("/u/seller").get_data(as_text=True)


def test_reviews_from_before_the_rule_keep_showing_and_counting(client, deal):
    db.session.add(Review(author_id=deal["buyer"].id, seller_id=deal["seller"].id, rating=4, text="Old review"))
    db.session.commit()
    page = client.get("/u/seller").get_data(as_text=True)
    assert "Old review" in page and "★ 4.0" in page and "About the car:" not in page
    assert "★ 4.0 · 1 review" in client.get(f"/listings/{deal['camry'].id}").get_data(as_text=True)


def test_the_author_deletes_their_review_and_may_write_it_again(client, auth, deal):
    review = reviewed(deal)
    auth.login("buyer")
    path = f"/u/seller/reviews/{review.id}/delete"
    assert client.post(path, data={"csrf_token": csrf_token(client, "/u/seller")}).status_code == 302
    assert review_count() == 0
    assert "Review this seller" in client.get("/u/seller").get_data(as_text=True)
    auth.logout()
    other = reviewed(deal)
    factories.make_user("stranger")
    auth.login("stranger")
    path = f"/u/seller/reviews/{other.id}/delete"
    assert client.post(path, data={"csrf_token": csrf_token(client, "/u/seller")}).status_code == 404
