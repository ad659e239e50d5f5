"""Payment providers: the one interface the rest of payments talks to, and the built-in
sandbox.

A provider does three things (docs/architecture.md, "Payments", says how to add a real one
such as Kaspi or CloudPayments):

- `start(order)`: register the payment with the provider and answer the URL of its payment
  page, where the buyer is sent; the provider's id for the payment goes into
  `order.provider_ref`.
- `verify(body, headers)`: check the signature of a callback the provider sent us and read
  it into a `Callback` (order, payment id, outcome, amount). A callback that is not signed
  correctly raises `InvalidCallback` and changes nothing.
- `refund(order)`: give the money back (raises `RefundRefused` when the provider says no).

The buyer's return to the site (the "return URL") is never trusted: only a verified
callback moves an order.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeGuard

from flask import current_app, url_for

from app.models.payment import MAX_AMOUNT

if TYPE_CHECKING:
    from app.models.payment import Order

OUTCOMES = ("paid", "failed", "cancelled")
SANDBOX_SIGNATURE_HEADER = "X-Sandbox-Signature"


class InvalidCallback(Exception):
    """A callback whose signature or content does not check out."""


class RefundRefused(Exception):
    """The provider did not give the money back."""


@dataclass(frozen=True)
class Callback:
    order_id: int
    payment_ref: str
    outcome: str  # one of OUTCOMES
    amount: int  # tiyn
    currency: str


class Provider(Protocol):
    name: str

    def start(self, order: Order) -> str: ...

    def verify(self, body: bytes, headers: Any) -> Callback: ...

    def refund(self, order: Order) -> None: ...


class SandboxProvider:
    """A provider that takes no money: its page (app/payments/routes.py, `sandbox`) lets a
    tester pay, fail or cancel, and it then sends a callback signed with HMAC-SHA256 over
    the exact body, with PAYMENTS_SANDBOX_SECRET, like a real provider's server would."""

    name = "sandbox"

    def __init__(self, secret: str) -> None:
        self.secret = secret.encode()

    def start(self, order: Order) -> str:
        if not order.provider_ref:
            order.provider_ref = "sbx_" + secrets.token_urlsafe(18)
        return url_for("payments.sandbox", ref=order.provider_ref)

    def sign(self, body: bytes) -> str:
        return hmac.new(self.secret, body, hashlib.sha256).hexdigest()

    def callback_body(self, order: Order, outcome: str) -> bytes:
        """What the sandbox's server posts back about `order`."""
        payload = {
            "order": order.id,
            "payment": order.provider_ref,
            "status": outcome,
            "amount": order.total,
            "currency": order.currency,
        }
        return json.dumps(payload, separators=(",", ":")).encode()

    def verify(self, body: bytes, headers: Any) -> Callback:
        signature = headers.get(SANDBOX_SIGNATURE_HEADER, "")
        if not isinstance(signature, str) or not hmac.compare_digest(signature.encode(), self.sign(body).encode()):
            raise InvalidCallback("bad signature")
        return parse_callback(body)

    def refund(self, order: Order) -> None:
        """Nothing was taken, so there is nothing to give back."""


def parse_callback(body: bytes) -> Callback:
    """The callback's fields, each of the expected type and range, or InvalidCallback."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidCallback("not JSON") from error
    if not isinstance(payload, dict):
        raise InvalidCallback("not an object")
    order_id, ref = payload.get("order"), payload.get("payment")
    outcome, amount, currency = payload.get("status"), payload.get("amount"), payload.get("currency")
    if not (is_int(order_id) and 0 < order_id < 2**31 and is_int(amount) and 0 <= amount <= MAX_AMOUNT):
        raise InvalidCallback("bad numbers")
    if not (isinstance(ref, str) and 0 < len(ref) <= 64 and outcome in OUTCOMES and currency == "KZT"):
        raise InvalidCallback("bad fields")
    return Callback(order_id, ref, outcome, amount, currency)


def is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def provider_for(name: str | None = None) -> Provider | None:
    """The configured provider (PAYMENTS_PROVIDER), or the one named; None when payments are
    switched off or the name is unknown."""
    name = current_app.config.get("PAYMENTS_PROVIDER", "") if name is None else name
    if name == "sandbox":
        return SandboxProvider(sandbox_secret())
    return None


def sandbox_secret() -> str:
    """PAYMENTS_SANDBOX_SECRET, or one derived from SECRET_KEY when it is not set (development)."""
    secret = current_app.config.get("PAYMENTS_SANDBOX_SECRET") or ""
    if secret:
        return secret
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, b"garage payments sandbox", hashlib.sha256).hexdigest()
