"""Demo conversation for `flask seed`: a buyer asks the demo dealer about a car."""

from __future__ import annotations

from app.auth.services import find_by_login
from app.chat import services
from app.chat.services import Person

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
    for number, (sender, recipient, body) in enumerate(LINES):
        s, r = people[sender], people[recipient]
        services.send_message(Person(s.id, s.username, s.name), r.username, body, f"demo-{number}", rate_limit=False)
    return f"chat: demo conversation aigerim ↔ autohouse ({len(LINES)} messages)"
