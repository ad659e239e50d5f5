"""Orders: creating them, moving them through their statuses, fulfilment and refunds.

Every status change is one guarded UPDATE (`... WHERE id = :id AND status = 'pending'`):
of two callbacks arriving together, PostgreSQL makes the second wait for the first's row
lock and then finds the status changed, SQLite runs them one after the other; either way
exactly one of them moves the order and runs the fulfilment, the other changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, cast

from flask import url_for
from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import selectinload

from app.core.audit import log_action
from app.core.time import utcnow
from app.extensions import db
from app.models.payment import MAX_AMOUNT, Order, OrderLine
from app.payments import promos
from app.payments.products import product
from app.payments.providers import Callback, InvalidCallback, Provider, RefundRefused

log = logging.getLogger(__name__)
MAX_LINES = 20


@dataclass(frozen=True)
class LineSpec:
    """A line to order: a registered product code, what it applies to, the text the buyer
    sees, and the price in tiyn."""

    product: str
    target_id: int | None
    amount: int
    description: str


def create_order(user: Any, lines: list[LineSpec]) -> Order:
    """A pending order of `lines` for `user`, added to the session (the caller commits).
    Unknown products and amounts outside 1 tiyn..MAX_AMOUNT are programming errors."""
    if not lines or len(lines) > MAX_LINES:
        raise ValueError("an order has 1 to 20 lines")
    for line in lines:
        if product(line.product) is None:
            raise ValueError(f"unknown product {line.product!r}: register it with payments.register_product")
        if not isinstance(line.amount, int) or isinstance(line.amount, bool) or not 0 < line.amount <= MAX_AMOUNT:
            raise ValueError(f"amount {line.amount!r} is not a whole number of tiyn in range")
    subtotal = sum(line.amount for line in lines)
    order = Order(user_id=user.id, status="pending", subtotal=subtotal, discount=0, total=subtotal, currency="KZT")
    order.lines = [
        OrderLine(
            product=line.product, target_id=line.target_id, amount=line.amount, description=line.description[:200]
        )
        for line in lines
    ]
    db.session.add(order)
    db.session.flush()
    return order


def checkout_url(order: Order) -> str:
    return url_for("payments.order", order_id=order.id)


def users_order(user_id: int, order_id: int) -> Order | None:
    """The member's own order (another member's is None: a 404 for them)."""
    order = db.session.get(Order, order_id)
    return order if order is not None and order.user_id == user_id else None


def history(user_id: int, page: int):
    query = (
        select(Order)
        .where(Order.user_id == user_id)
        .options(selectinload(Order.lines), selectinload(Order.promo_code))
        .order_by(Order.created_at.desc(), Order.id.desc())
    )
    return db.paginate(query, page=page, per_page=20, error_out=False)


def all_orders(page: int, status: str | None):
    query = (
        select(Order)
        .options(selectinload(Order.lines), selectinload(Order.user), selectinload(Order.promo_code))
        .order_by(Order.created_at.desc(), Order.id.desc())
    )
    if status:
        query = query.where(Order.status == status)
    return db.paginate(query, page=page, per_page=50, error_out=False)


def move(order_id: int, old: str, new: str, **values: Any) -> bool:
    """Move the order from `old` to `new` (setting `values` too) if it still is `old`."""
    result = db.session.execute(
        update(Order)
        .where(Order.id == order_id, Order.status == old)
        .values(status=new, **values)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount == 1  # an UPDATE's result is a CursorResult


def start_payment(order: Order, provider: Provider) -> str:
    """Send the buyer to the provider: the payment page URL (the same payment when the
    buyer clicks Pay twice)."""
    order.provider = provider.name
    return provider.start(order)


def mark_paid(order: Order) -> bool:
    """pending → paid, then each line's fulfilment, once. False when the order was no
    longer pending (a repeated callback): nothing runs again."""
    now = utcnow()
    if not move(order.id, "pending", "paid", paid_at=now):
        return False
    db.session.refresh(order)
    for line in order.lines:
        handler = product(line.product)
        if handler is None:
            raise RuntimeError(f"paid line {line.id}: product {line.product!r} is not registered")
        handler.fulfil(line)
        line.fulfilled_at = now
    return True


def mark_ended(order: Order, outcome: str) -> bool:
    """pending → failed or cancelled; the promo code the order used is freed again."""
    if not move(order.id, "pending", outcome, **{f"{outcome}_at": utcnow()}):
        return False
    db.session.refresh(order)
    promos.release(order)
    return True


def receive_callback(provider: Provider, body: bytes, headers: Any) -> str:
    """Verify and apply a provider's callback; the caller commits. Answers what happened,
    for the log and the provider: "applied", "repeated" (already in that state: nothing
    changed), or raises InvalidCallback (bad signature, unknown order, wrong amount)."""
    callback = provider.verify(body, headers)
    order = check_matches(db.session.get(Order, callback.order_id), callback, provider)
    changed = mark_paid(order) if callback.outcome == "paid" else mark_ended(order, callback.outcome)
    if not changed:
        db.session.refresh(order)
        warn_if_money_came_late(order, callback)
    return "applied" if changed else "repeated"


def warn_if_money_came_late(order: Order, callback: Callback) -> None:
    """A repeated callback is normal (providers retry until answered). Money for an order
    that meanwhile failed or was cancelled is not: an operator must refund it at the provider."""
    if callback.outcome == "paid" and order.status in ("failed", "cancelled"):
        log.warning("payments: order %s is %s but %s reports it paid: refund it there", order.id, order.status,
                    order.provider)  # fmt: skip
    else:
        log.info("payments: repeated %s callback for order %s (%s)", callback.outcome, order.id, order.status)


def check_matches(order: Order | None, callback: Callback, provider: Provider) -> Order:
    """The callback is about this order's payment at this provider, for its whole total:
    the order, or InvalidCallback."""
    if order is None or order.provider != provider.name or order.provider_ref != callback.payment_ref:
        raise InvalidCallback("no such payment")
    if callback.amount != order.total or callback.currency != order.currency:
        raise InvalidCallback("amount differs from the order")
    return order


def cancel_by_buyer(order: Order) -> bool:
    """The buyer gives up a pending order (frees its promo code)."""
    return mark_ended(order, "cancelled")


def refund(order: Order, actor: Any, provider: Provider | None) -> bool:
    """An admin gives the money back: paid → refunded, the provider refunds, each line's
    refund handler undoes the service; all in one transaction (the caller commits).
    False when the order is not paid (any more). RefundRefused: the provider said no."""
    now = utcnow()
    if not move(order.id, "paid", "refunded", refunded_at=now, refunded_by_id=actor.id):
        return False
    db.session.refresh(order)
    if order.total:
        if provider is None or provider.name != order.provider:
            raise RefundRefused(f"provider {order.provider!r} is not configured")
        provider.refund(order)
    for line in order.lines:
        handler = product(line.product)
        if handler is not None and handler.refund is not None:
            handler.refund(line)
        line.refunded_at = now
    log_action(actor, "payment_refund", "order", order.id, f"{order.total} tiyn")
    return True


def complete_free(order: Order) -> bool:
    """An order a promo code made free has nothing to pay and no provider: the buyer's
    confirmation completes it (the total is checked here, on the server)."""
    if order.total != 0:
        return False
    order.provider = "free"
    return mark_paid(order)


def count_by_status() -> dict[str, int]:
    rows = db.session.execute(select(Order.status, func.count()).group_by(Order.status))
    return dict(rows.tuples().all())
