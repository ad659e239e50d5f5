"""Demo conversation for `flask seed`: a buyer asks the demo dealer about a car (its card rides
on the first message, so the buyer may then review the dealer about that car)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.auth.services import find_by_login
from app.chat import services
from app.chat.services import Person
from app.extensions import db
from app.models import Listing

LINES = [
    ("aigerim", "autohouse", "Здравствуйте! Камри ещё в продаже? Торг возможен?"),
    ("autohouse", "aigerim", "Добрый день! Да, машина в наличии. Подъезжайте на тест-драйв в любой день "
     "с 9 до 19, на месте обсудим цену."),
    ("aigerim", "autohouse", "Отлично, тогда в субботу в 11:00 подъеду."),
]  # fmt: skip


def load_demo_chat() -> str | None:
    """Add the demo conversation once (skipped when it exists or the demo users are missing)."""
    people = {name: find_by_login(name) for name in ("aigerim", "autohouse")}
    if None in people.values():
        return None
    a, b = people["aigerim"], people["autohouse"]
    if services.find_conversation_id(a.id, b.id) is not None:
        return None
    camry = db.session.scalar(select(Listing.id).where(Listing.seller_id == b.id, Listing.title.like("Toyota Camry%")))
    with current_app.test_request_context():  # the card's links, as a page builds them (`flask seed` has no request)
        for number, (sender, recipient, body) in enumerate(LINES):
            s, r = people[sender], people[recipient]
            card = camry if number == 0 else None
            person = Person(s.id, s.username, s.name)
            services.send_message(person, r.username, body, f"demo-{number}", listing_id=card, rate_limit=False)
    return f"chat: demo conversation aigerim ↔ autohouse ({len(LINES)} messages)"
