"""Sign-in limits that stop password guessing without locking the owner out.

Failed sign-ins are counted in the Flask-Limiter storage (Redis in production, so every
process sees the same counts) under three keys. The account is the one the typed name or
e-mail resolves to (NFKC and case-folded, so "aigerim", "ＡＩＧＥＲＩＭ" and her e-mail are
one account); a login that resolves to nobody is keyed by its normalised text.

- per address (LOGIN_ADDRESS_LIMIT, 30 per 10 minutes): one address guessing at many
  accounts;
- per account and address (LOGIN_PAIR_LIMIT, 10 per 10 minutes): the owner's own address
  keeps its own allowance whatever strangers do elsewhere;
- per account across addresses (LOGIN_ACCOUNT_LIMIT, 50 per hour): many addresses guessing
  at one account. It stops only browsers that never signed in to that account: a successful
  sign-in leaves a signed "known device" cookie, and a known device is never held by it.

A successful sign-in clears the counts of its account-and-address pair. A person over a
limit sees a 429 page saying when to try again; the password is not checked meanwhile.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app, request
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeSerializer
from limits import parse

from app.auth.validators import username_key
from app.extensions import limiter

DEVICE_SALT = "known-device"
DEVICE_MAX_ACCOUNTS = 5  # one shared family tablet, not a list an attacker can grow
DEVICE_MAX_AGE = 365 * 24 * 3600


def account_key(user, typed: str) -> str:
    """The account a sign-in is about: the user's id, else the normalised text typed."""
    if user is not None:
        return f"user:{user.id}"
    return "login:" + username_key(typed)[:254]


@dataclass
class SignInLimits:
    account: str
    address: str

    @classmethod
    def for_request(cls, user, typed: str) -> SignInLimits:
        return cls(account=account_key(user, typed), address=get_remote_address() or "unknown")

    def checks(self) -> list[tuple[str, tuple[str, ...]]]:
        """(config key, identifiers) of each limit that applies to this browser."""
        checks = [
            ("LOGIN_ADDRESS_LIMIT", ("address", self.address)),
            ("LOGIN_PAIR_LIMIT", ("pair", self.account, self.address)),
        ]
        if not device_knows(self.account):
            checks.append(("LOGIN_ACCOUNT_LIMIT", ("account", self.account)))
        return checks

    def wait_seconds(self) -> int:
        """0 while sign-in may be tried; else the seconds until the exhausted limit resets."""
        if not limiter.enabled:
            return 0
        waits = []
        for config_key, identifiers in self.checks():
            item = parse(current_app.config[config_key])
            if not limiter.limiter.test(item, "sign-in", *identifiers):
                reset_at = limiter.limiter.get_window_stats(item, "sign-in", *identifiers).reset_time
                waits.append(max(1, int(reset_at - time.time()) + 1))
        return max(waits, default=0)

    def failed(self) -> None:
        """Count a wrong password against all three limits (the account one included:
        strangers' failures are what it counts, and a known device is not held by it)."""
        if not limiter.enabled:
            return
        for config_key, identifiers in (
            ("LOGIN_ADDRESS_LIMIT", ("address", self.address)),
            ("LOGIN_PAIR_LIMIT", ("pair", self.account, self.address)),
            ("LOGIN_ACCOUNT_LIMIT", ("account", self.account)),
        ):
            limiter.limiter.hit(parse(current_app.config[config_key]), "sign-in", *identifiers)

    def succeeded(self) -> None:
        """The right password from this address: its failures for this account are forgiven."""
        if limiter.enabled:
            limiter.limiter.clear(parse(current_app.config["LOGIN_PAIR_LIMIT"]), "sign-in", "pair", self.account,
                                  self.address)  # fmt: skip


# --- the "known device" cookie -------------------------------------------------------------


def device_cookie_name() -> str:
    return "__Host-device" if current_app.config.get("SESSION_COOKIE_SECURE") else "device"


def device_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=DEVICE_SALT)


def known_accounts() -> list[str]:
    """The accounts this browser signed in to (from its signed cookie; forged ones count nothing)."""
    raw = request.cookies.get(device_cookie_name())
    if not raw:
        return []
    try:
        accounts = device_serializer().loads(raw)
    except BadSignature:
        return []
    return [a for a in accounts if isinstance(a, str)][:DEVICE_MAX_ACCOUNTS] if isinstance(accounts, list) else []


def device_knows(account: str) -> bool:
    return account in known_accounts()


def remember_device(response, account: str) -> None:
    """Add `account` to this browser's known-device cookie (most recent first)."""
    accounts = [account] + [a for a in known_accounts() if a != account]
    secure = bool(current_app.config.get("SESSION_COOKIE_SECURE"))
    response.set_cookie(
        device_cookie_name(),
        device_serializer().dumps(accounts[:DEVICE_MAX_ACCOUNTS]),
        max_age=DEVICE_MAX_AGE,
        path="/",
        secure=secure,
        httponly=True,
        samesite="Lax",
    )
