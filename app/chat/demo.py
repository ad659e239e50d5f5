"""Demo conversation for `flask seed`: a buyer asks the demo dealer about a car."""

from __future__ import annotations

from app.chat import services
from app.chat.services import Person

LINES = [
    ("aigerim", "autohouse", "Hello! Is the car still available?"),
    ("autohouse", "aigerim", "Good afternoon! Yes, you can come for a test drive any day."),
    ("aigerim", "autohouse", "Great, Saturday at 11?"),
]


def load_demo_chat() -> str | None:
    """Add the demo conversation once (skipped when it exists or the demo users are missing)."""
    from app.auth.services import find_by_login

    people = {name: find_by_login(name) for name in ("aigerim", "autohouse")}
    if None in people.values():
        return None
    a, b = people["aigerim"], people["autohouse"]
    if services.find_conversation_id(a.id, b.id) is not None:
        return None
    for number, (sender, recipient, body) in enumerate(LINES):
        s, r = people[sender], people[recipient]
        services.send_message(Person(s.id, s.username, s.name), r.username, body, f"demo-{number}", rate_limit=False)
    return f"chat: demo conversation aigerim ↔ autohouse ({len(LINES)} messages)"
