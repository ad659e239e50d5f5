"""Account operations: plain functions; the caller commits."""

from __future__ import annotations

import secrets
from functools import cache

from flask import current_app, has_request_context
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, or_, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.names import name_skeleton
from app.auth.validators import username_key
from app.core.time import utcnow
from app.extensions import db
from app.i18n.locale import current_language, recipient_language
from app.models import User
from app.notifications.email import send_email, site_url_for

RESET_SALT = "password-reset"
CONFIRM_SALT = "email-confirm"
CONFIRM_MAX_AGE = 7 * 24 * 3600


def find_by_login(login: str) -> User | None:
    """A user by username (any case) or email."""
    login = login.strip()
    return db.session.scalar(
        select(User).where(or_(User.username_key == username_key(login), User.email == login.lower()))
    )


def password_matches(user: User | None, password: str) -> bool:
    """Whether `password` is the user's. For no user, the same hashing work is done against
    a stand-in hash, so the answer takes as long for an unknown login as for a real one."""
    if user is None:
        check_password_hash(stand_in_hash(), password)
        return False
    return user.check_password(password)


@cache
def stand_in_hash() -> str:
    """A hash of a random secret with the method and cost real passwords get."""
    return generate_password_hash(secrets.token_hex(16))


def username_taken(username: str) -> bool:
    return db.session.execute(select(func.count()).where(User.username_key == username_key(username))).scalar_one() > 0


def lookalike_of(username: str) -> str | None:
    """The existing username that looks like `username` (same TR39 skeleton), if any."""
    return db.session.scalar(select(User.username).where(User.username_skeleton == name_skeleton(username)))


def email_taken(email: str) -> bool:
    return db.session.execute(select(func.count()).where(User.email == email.lower())).scalar_one() > 0


def create_user(username: str, email: str, password: str, role: str = "user") -> User:
    """Add a new user (validated by the caller) and flush to get its id."""
    user = User(
        username=username,
        username_key=username_key(username),
        username_skeleton=name_skeleton(username),
        email=email.lower(),
        role=role,
    )
    if has_request_context():
        user.locale = current_language()  # the language they signed up in: their mails follow it
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def register(username: str, email: str, password: str) -> User | None:
    """Create the account, or, when the email is taken, tell its owner by mail.

    Both cases answer the visitor the same way, so the form reveals nothing about
    which addresses have accounts.
    """
    if email_taken(email):
        generate_password_hash(password)  # the work a new account costs: the timing tells nothing
        owner_language = db.session.scalar(select(User.locale).where(User.email == email.lower()))
        with recipient_language(owner_language):
            send_email(
                email,
                _("Someone tried to register with your address"),
                _(
                    "Somebody tried to create a Garage account with this email address, which already "
                    "has one. If it was you, sign in or reset your password: %(url)s",
                    url=site_url_for("auth.reset_request"),
                ),
            )
        return None
    user = create_user(username, email, password)
    send_confirmation(user)
    return user


def serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def send_confirmation(user: User) -> None:
    token = serializer(CONFIRM_SALT).dumps({"uid": user.id, "email": user.email})
    with recipient_language(user.locale):
        send_email(
            user.email,
            _("Confirm your email address"),
            _("Welcome to Garage! Confirm your address: %(url)s", url=site_url_for("auth.confirm", token=token)),
        )


def confirm_email(token: str) -> User | None:
    try:
        data = serializer(CONFIRM_SALT).loads(token, max_age=CONFIRM_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or user.email != data.get("email"):
        return None
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    return user


def reset_token(user: User) -> str:
    # The tail of the current hash makes the token single-use: a new password changes it.
    return serializer(RESET_SALT).dumps({"uid": user.id, "h": user.password_hash[-16:]})


def send_password_reset(email: str) -> None:
    """Mail a reset link when the address has an account; silently do nothing otherwise."""
    user = db.session.scalar(select(User).where(User.email == email.lower()))
    if user is None:
        return
    url = site_url_for("auth.reset_password", token=reset_token(user))
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    with recipient_language(user.locale):
        send_email(
            user.email,
            _("Reset your Garage password"),
            _(
                "To choose a new password, open this link within %(minutes)d minutes: %(url)s\n"
                "If you did not ask for it, ignore this message.",
                minutes=minutes,
                url=url,
            ),
        )


def user_for_reset_token(token: str) -> User | None:
    """The user a reset token belongs to, if it is genuine, fresh and unused."""
    try:
        data = serializer(RESET_SALT).loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or user.password_hash[-16:] != data.get("h"):
        return None
    return user


def change_password(user: User, new_password: str) -> None:
    """Set a new password and end every session of the user (the route re-signs this one)."""
    user.set_password(new_password)
    user.end_all_sessions()
