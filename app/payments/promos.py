"""Promo codes: a percentage or a fixed discount, valid between two dates, for a limited
number of orders in all and once per member.

A code is taken when the buyer adds it to a pending order (before paying), in the same
transaction: the per-member row (unique per code and member) and the use counter (raised
only while below the limit, in one UPDATE) make two checkouts at once unable to overrun
either rule. If that order then fails or is cancelled, the use is given back.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from app.core.audit import log_action
from app.extensions import db
from app.models.payment import Order, PromoCode, PromoRedemption

CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{2,31}")
REFUSALS = {
    "unknown": _l("There is no such promo code."),
    "disabled": _l("This promo code is no longer valid."),
    "not_started": _l("This promo code is not valid yet."),
    "expired": _l("This promo code has expired."),
    "used_up": _l("This promo code has been used up."),
    "already_used": _l("You have already used this promo code."),
    "too_late": _l("A promo code can be added only before you pay."),
    "one_per_order": _l("This order already has a promo code."),
}


class PromoRefused(Exception):
    """Why a code was not accepted: `reason` is a key of REFUSALS."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> Any:
        return REFUSALS[self.reason]


def normalise(text: str) -> str:
    """Codes are compared in capitals without spaces around: "spring25 " is SPRING25."""
    return (text or "").strip().upper()


def site_today() -> date:
    """Today in the site's time zone: a code "valid until 31 December" works all that day in Almaty."""
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def discount_for(promo: PromoCode, subtotal: int) -> int:
    """The discount in tiyn: a percentage rounds down (in the buyer's favour: never a
    fraction of a tiyn), a fixed amount is at most the subtotal."""
    if promo.kind == "percent":
        return subtotal * promo.value // 100
    return min(promo.value, subtotal)


def check_valid(promo: PromoCode | None, user_id: int) -> PromoCode:
    if promo is None:
        raise PromoRefused("unknown")
    if not promo.active:
        raise PromoRefused("disabled")
    today = site_today()
    if promo.starts_on and today < promo.starts_on:
        raise PromoRefused("not_started")
    if promo.ends_on and today > promo.ends_on:
        raise PromoRefused("expired")
    if promo.max_uses is not None and promo.used_count >= promo.max_uses:
        raise PromoRefused("used_up")
    used = select(PromoRedemption.id).where(
        PromoRedemption.promo_code_id == promo.id, PromoRedemption.user_id == user_id
    )
    if db.session.scalar(used) is not None:
        raise PromoRefused("already_used")
    return promo


def take_use(promo: PromoCode) -> None:
    """One more use of the code, if its limit allows (one UPDATE: no two buyers get the last use)."""
    statement = (
        update(PromoCode)
        .where(PromoCode.id == promo.id, or_(PromoCode.max_uses.is_(None), PromoCode.used_count < PromoCode.max_uses))
        .values(used_count=PromoCode.used_count + 1)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult, db.session.execute(statement)).rowcount != 1:
        raise PromoRefused("used_up")


def apply(order: Order, user_id: int, text: str) -> PromoCode:
    """Add the code typed by the buyer to their pending order (the caller commits), or
    raise PromoRefused saying why not. After a refusal the transaction is rolled back."""
    if order.status != "pending" or order.provider_ref:
        raise PromoRefused("too_late")
    if order.promo_code_id is not None:
        raise PromoRefused("one_per_order")
    code = normalise(text)
    found = db.session.scalar(select(PromoCode).where(PromoCode.code == code)) if CODE.fullmatch(code) else None
    try:
        promo = check_valid(found, user_id)
        take_use(promo)
        db.session.add(PromoRedemption(promo_code_id=promo.id, user_id=user_id, order_id=order.id))
        db.session.flush()
    except PromoRefused:
        db.session.rollback()
        raise
    except IntegrityError:  # the same member's other checkout took it a moment ago
        db.session.rollback()
        raise PromoRefused("already_used") from None
    order.promo_code_id = promo.id
    order.discount = discount_for(promo, order.subtotal)
    order.total = order.subtotal - order.discount
    return promo


def release(order: Order) -> None:
    """Give back the use of the code of an order that failed or was cancelled."""
    if order.promo_code_id is None:
        return
    statement = delete(PromoRedemption).where(PromoRedemption.order_id == order.id)
    if cast(CursorResult, db.session.execute(statement)).rowcount:
        db.session.execute(
            update(PromoCode)
            .where(PromoCode.id == order.promo_code_id, PromoCode.used_count > 0)
            .values(used_count=PromoCode.used_count - 1)
            .execution_options(synchronize_session=False)
        )


def create(actor: Any, **fields: Any) -> PromoCode | None:
    """A new code (None when one with that name exists); written to the audit log."""
    code = normalise(fields.pop("code"))
    if db.session.scalar(select(PromoCode.id).where(PromoCode.code == code)) is not None:
        return None
    promo = PromoCode(code=code, created_by_id=actor.id, used_count=0, active=True, **fields)
    db.session.add(promo)
    db.session.flush()
    log_action(actor, "promo_code_create", "promo_code", promo.id, code)
    return promo


def set_active(promo: PromoCode, actor: Any, active: bool) -> None:
    promo.active = active
    log_action(actor, "promo_code_enable" if active else "promo_code_disable", "promo_code", promo.id, promo.code)


def all_codes() -> list[PromoCode]:
    return list(db.session.scalars(select(PromoCode).order_by(PromoCode.created_at.desc(), PromoCode.id.desc())))
