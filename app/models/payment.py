"""Payments: orders with their lines, promo codes and who redeemed them (app/payments).

Every amount is an integer number of tiyn (1 ₸ = 100 tiyn), never a float. An order's
status only moves forward: pending → paid → refunded, or pending → failed / cancelled;
each step has its own timestamp. The transitions are single guarded UPDATEs (see
app/payments/services.py), so two callbacks at once move an order only once.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import utcnow
from app.extensions import db
from app.models.user import User

ORDER_STATUSES = ("pending", "paid", "failed", "cancelled", "refunded")
PROMO_KINDS = ("percent", "fixed")
# 10 billion tenge: far above any real order, far below BigInteger's range.
MAX_AMOUNT = 10**12


class Order(db.Model):
    __tablename__ = "payment_orders"
    __table_args__ = (
        Index("ix_payment_orders_user_created", "user_id", "created_at"),
        Index("ix_payment_orders_created", "created_at"),
        UniqueConstraint("provider", "provider_ref", name="uq_payment_orders_provider_ref"),
        CheckConstraint("status IN ('pending', 'paid', 'failed', 'cancelled', 'refunded')", name="status_known"),
        CheckConstraint("subtotal > 0", name="subtotal_positive"),
        CheckConstraint("discount >= 0 AND discount <= subtotal", name="discount_within_subtotal"),
        CheckConstraint("total = subtotal - discount", name="total_is_subtotal_less_discount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept when the account is deleted: the bookkeeping outlives the buyer.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    subtotal: Mapped[int] = mapped_column(BigInteger)
    discount: Mapped[int] = mapped_column(BigInteger, default=0)
    total: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="KZT")
    promo_code_id: Mapped[int | None] = mapped_column(ForeignKey("promo_codes.id", ondelete="SET NULL"))
    # The provider that took the payment and its id for it (set when the buyer is sent there).
    provider: Mapped[str] = mapped_column(String(32), default="")
    provider_ref: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    paid_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    refunded_at: Mapped[datetime | None]
    refunded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", order_by="OrderLine.id", cascade="all, delete-orphan"
    )
    promo_code: Mapped[PromoCode | None] = relationship()


class OrderLine(db.Model):
    """One thing bought: a product code registered by the feature that sells it, what it
    applies to (e.g. a listing id) and its price."""

    __tablename__ = "payment_order_lines"
    __table_args__ = (
        Index("ix_payment_order_lines_order", "order_id"),
        Index("ix_payment_order_lines_product_target", "product", "target_id"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("payment_orders.id", ondelete="CASCADE"))
    product: Mapped[str] = mapped_column(String(48))
    target_id: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(200))
    amount: Mapped[int] = mapped_column(BigInteger)
    fulfilled_at: Mapped[datetime | None]
    refunded_at: Mapped[datetime | None]

    order: Mapped[Order] = relationship(back_populates="lines")


class PromoCode(db.Model):
    """A discount code: `value` is a percentage (1-100) or a fixed amount in tiyn; valid from
    `starts_on` to `ends_on` inclusive (site dates); `max_uses` orders in all (None: no
    limit); one use per member (PromoRedemption)."""

    __tablename__ = "promo_codes"
    __table_args__ = (
        CheckConstraint("kind IN ('percent', 'fixed')", name="kind_known"),
        CheckConstraint("value > 0", name="value_positive"),
        CheckConstraint("kind <> 'percent' OR value <= 100", name="percent_at_most_100"),
        CheckConstraint("used_count >= 0", name="used_count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    value: Mapped[int] = mapped_column(BigInteger)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    max_uses: Mapped[int | None] = mapped_column(Integer)
    used_count: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class PromoRedemption(db.Model):
    """A member's one use of a code; the unique pair is what makes it once per member, even
    for two checkouts at the same moment. Deleted again when that order fails or is
    cancelled (the code was not really used)."""

    __tablename__ = "promo_redemptions"
    __table_args__ = (UniqueConstraint("promo_code_id", "user_id", name="uq_promo_redemptions_code_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    promo_code_id: Mapped[int] = mapped_column(ForeignKey("promo_codes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    order_id: Mapped[int] = mapped_column(ForeignKey("payment_orders.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
