"""Helpers for the payment tests: a product of their own (the real products belong to the
features that sell them), orders, and callbacks signed like the sandbox's server signs them."""

from __future__ import annotations

import json
import os
from pathlib import Path

from flask import Flask

from app import payments
from app.models.payment import Order
from app.payments.products import KEY
from app.payments.providers import SANDBOX_SIGNATURE_HEADER, SandboxProvider, sandbox_secret

PRODUCT = "test_boost"
# What the product's handlers did, in this process: (line id, target id).
FULFILLED: list[tuple[int, int | None]] = []
REFUNDED: list[int] = []
# The live server's handlers write here instead (another process).
LOG_VARIABLE = "PAYMENTS_TEST_FULFIL_LOG"


def fulfil(line) -> None:
    FULFILLED.append((line.id, line.target_id))
    if path := os.environ.get(LOG_VARIABLE):
        with Path(path).open("a", encoding="utf-8") as log:
            log.write(f"fulfil {line.id} {line.target_id}\n")


def refund(line) -> None:
    REFUNDED.append(line.id)


def register_test_product(app: Flask) -> None:
    """The test product, once per app (the session app outlives a test module)."""
    if PRODUCT not in app.extensions.get(KEY, {}):
        payments.register_product(app, PRODUCT, title="Test boost", fulfil=fulfil, refund=refund)


def make_order(user, amount: int = payments.tenge(5000), target_id: int | None = 42, lines: int = 1) -> Order:
    from app.extensions import db

    specs = [payments.LineSpec(PRODUCT, target_id, amount, f"Boost for car {target_id}") for _ in range(lines)]
    order = payments.create_order(user, specs)
    db.session.commit()
    return order


def sandbox() -> SandboxProvider:
    return SandboxProvider(sandbox_secret())


def signed(payload: dict, secret: str | None = None) -> tuple[bytes, dict]:
    """A callback body and its headers, signed with the sandbox secret (or `secret`)."""
    body = json.dumps(payload).encode()
    provider = SandboxProvider(secret) if secret is not None else sandbox()
    return body, {SANDBOX_SIGNATURE_HEADER: provider.sign(body), "Content-Type": "application/json"}


def callback_for(order: Order, status: str = "paid", /, **changes) -> tuple[bytes, dict]:
    payload = {"order": order.id, "payment": order.provider_ref, "status": status, "amount": order.total,
               "currency": "KZT", **changes}  # fmt: skip
    return signed(payload)


def post_callback(client, body: bytes, headers: dict):
    return client.post("/payments/callback/sandbox", data=body, headers=headers)
