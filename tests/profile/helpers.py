"""Chats for the review and response-time tests (real messages through the chat's own send
path), and the hidden fields a form page hands out."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from flask import current_app
from sqlalchemy import update

from app.chat.services import Person, send_message
from app.extensions import db
from app.models import Message


def say(sender, recipient, body: str, listing=None, at: datetime | None = None) -> int:
    """`sender` writes to `recipient` (the car as a card when `listing` is given); `at`
    back-dates the message. Returns the message id."""
    with current_app.test_request_context():
        sent = send_message(
            Person(sender.id, sender.username, sender.name),
            recipient.username,
            body,
            uuid.uuid4().hex,
            listing_id=listing.id if listing else None,
            rate_limit=False,
        )
    if at is not None:
        db.session.execute(update(Message).where(Message.id == sent.message["id"]).values(created_at=at))
    db.session.commit()
    return sent.message["id"]


def form_fields(client, path: str) -> dict[str, str]:
    """The CSRF token and the one-time form token of the page's form, read from its HTML."""
    html = client.get(path).get_data(as_text=True)
    fields = {}
    for name in ("csrf_token", "form_token"):
        if match := re.search(rf'name="{name}"[^>]*value="([^"]+)"', html):
            fields[name] = match.group(1)
    return fields
