"""Users and dealer profiles."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.core.time import utcnow
from app.extensions import db


class Role(StrEnum):
    USER = "user"
    DEALER = "dealer"
    MODERATOR = "moderator"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(30))
    # casefolded username: uniqueness regardless of case on every backend
    username_key: Mapped[str] = mapped_column(String(30), unique=True)
    # Unicode TR39 skeleton (app/auth/names.py): no two usernames that look alike. NULL only
    # for accounts older than the rule whose skeleton collided with an earlier one.
    username_skeleton: Mapped[str | None] = mapped_column(String(255), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    display_name: Mapped[str] = mapped_column(String(60), default="")
    avatar: Mapped[str | None] = mapped_column(String(64))
    about: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(80), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    phone_visible: Mapped[bool] = mapped_column(default=False)
    role: Mapped[str] = mapped_column(String(16), default=Role.USER.value)
    # Indexed: public lists of cars leave out the listings of users banned right now.
    banned_until: Mapped[datetime | None] = mapped_column(index=True)
    ban_reason: Mapped[str] = mapped_column(String(500), default="")
    email_confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]
    # Bumped by logout and password change: every older session and remember-me
    # cookie carries the old number and is refused.
    session_version: Mapped[int] = mapped_column(default=1)
    # "ru", "kk" or "en": pages, mails and notifications in this language (None: not chosen).
    locale: Mapped[str | None] = mapped_column(String(5))
    # Raised by each save of the profile form (app/edits.py): a stale tab is told, not obeyed.
    profile_version: Mapped[int] = mapped_column(default=0, server_default="0")

    dealer_profile: Mapped[DealerProfile | None] = relationship(
        back_populates="user", uselist=False, cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<User {self.username}>"

    # --- identity -----------------------------------------------------------
    def get_id(self) -> str:
        """Flask-Login stores this in the session and the remember cookie."""
        return f"{self.id}:{self.session_version}"

    def end_all_sessions(self) -> None:
        self.session_version = (self.session_version or 0) + 1

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    # --- roles and bans -----------------------------------------------------
    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def is_dealer(self) -> bool:
        return self.role == Role.DEALER

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_banned(self) -> bool:
        return self.banned_until is not None and self.banned_until > utcnow()


class DealerProfile(db.Model):
    __tablename__ = "dealer_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    company_name: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    hours: Mapped[str] = mapped_column(String(200), default="")
    verified_at: Mapped[datetime | None]
    logo: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User] = relationship(back_populates="dealer_profile")

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None
