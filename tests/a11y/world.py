"""A small, lived-in site for the page audits: a moderator with a listing, photos, a
topic with replies and a picture, a conversation, notifications, a saved search, a review,
a guest's support request and an open report — so every main page shows its real controls
(Mark read, Block, Warn author…)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from flask import current_app

from app.admin.services import file_report
from app.chat import services as chat
from app.chat.services import Person
from app.extensions import db
from app.listings.filters import Filters
from app.listings.photos import add_photo
from app.listings.saved_searches import save_search
from app.models import Review, SupportMessage, SupportTicket
from tests.factories import make_listing
from tests.forum.helpers import make_topic, make_user, reply
from tests.images import jpeg_with_gps


@dataclass
class World:
    listing_id: int  # the moderator's own listing (sell form, photo manager)
    other_listing_id: int  # a dealer's listing with a gallery
    topic_id: int
    ticket_id: int = 0  # a guest's support request
    moderator: str = "marat"
    dealer: str = "aigerim"


def photo(colour) -> io.BytesIO:
    return io.BytesIO(jpeg_with_gps(size=(800, 600), colour=colour))


def build_world() -> World:
    moderator = make_user("marat", role="moderator")
    dealer = make_user("aigerim", role="dealer")
    own = make_listing(moderator, description="One owner, full service history.")
    other = make_listing(dealer, model="RAV4", description="Dealer car, warranty.")
    for listing, colours in ((own, [(180, 40, 40)]), (other, [(30, 90, 160), (40, 140, 60), (200, 170, 40)])):
        for colour in colours:
            add_photo(listing, photo(colour))
    db.session.commit()

    topic = make_topic(moderator, title="Winter tyres for a Camry 70", body="Which size fits **R17** rims?")
    answer = reply(topic, dealer, "215/55 R17, @marat. Here is mine: ![my car](/listings/1)")
    with current_app.test_request_context():
        save_search(moderator, Filters(), "Every car")
        file_report(dealer, "post", answer.id, "Advertising in the forum")
        chat.send_message(
            Person(dealer.id, dealer.username, dealer.name),
            moderator.username,
            "Hello! The RAV4 is still for sale.",
            "world-1",
            rate_limit=False,
        )
    review = Review(author_id=moderator.id, seller_id=dealer.id, listing_id=other.id, rating=4, text="Quick deal.")
    db.session.add(review)
    ticket = SupportTicket(email="aliya@example.kz", name="Aliya", subject="Cannot publish my car", access_key="k" * 32)
    ticket.messages.append(SupportMessage(body="The Publish button does nothing."))
    db.session.add(ticket)
    db.session.commit()
    return World(own.id, other.id, topic.id, ticket.id)


def pages(world: World) -> dict[str, str]:
    """The main pages a signed-in moderator sees, by name."""
    return {
        "home": "/",
        "search": "/listings/?sort=price_asc",
        "listing": f"/listings/{world.other_listing_id}",
        "sell form": "/listings/new",
        "photo manager": f"/listings/{world.listing_id}/edit",
        "forum index": "/forum/",
        "topic": f"/forum/t/{world.topic_id}",
        "chat list": "/chat/",
        "conversation": f"/chat/{world.dealer}",
        "profile": f"/u/{world.dealer}",
        "notifications": "/notifications/",
        "saved searches": "/listings/saved",
        "admin queue": "/admin/",
        "support form": "/support/",
        "support desk": "/admin/support/",
        "support request": f"/admin/support/{world.ticket_id}",
    }


ANONYMOUS_PAGES = {"sign in": "/auth/login", "register": "/auth/register", "contact support": "/support/"}
