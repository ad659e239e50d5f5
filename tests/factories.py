"""Test data builders: real rows through the same services the site uses."""

from __future__ import annotations

from app.auth import services as accounts
from app.extensions import db
from app.models import DealerProfile, User

DEFAULT_PASSWORD = "correct-horse-1"


def make_user(username: str = "buyer", role: str = "user", password: str = DEFAULT_PASSWORD, **fields) -> User:
    user = accounts.create_user(username, fields.pop("email", f"{username.lower()}@example.com"), password, role=role)
    for name, value in fields.items():
        setattr(user, name, value)
    if role == "dealer" and user.dealer_profile is None:
        user.dealer_profile = DealerProfile(company_name=f"{username} Motors")
    db.session.commit()
    return user
