"""Payments: orders with line items, a provider interface with a built-in sandbox, signed
callbacks, refunds and promo codes. Amounts are integers in tiyn.

What other features use (docs/architecture.md, "Payments"):

    payments.register_product(app, "listing_top_7", title=_l("Top for 7 days"),
                              fulfil=activate, refund=deactivate)   # from their init_app
    order = payments.create_order(current_user, [payments.LineSpec(
        product="listing_top_7", target_id=listing.id, amount=payments.tenge(7000),
        description="Top for 7 days: Toyota Camry 2019")])
    db.session.commit(); return redirect(payments.checkout_url(order))

`{{ amount|money }}` shows tiyn as "7 000 ₸" in the page's language.
"""

from flask import Blueprint, Flask

bp = Blueprint("payments", __name__, url_prefix="/payments")

from app.payments import routes  # noqa: E402,F401
from app.payments.display import STATUS_LABELS, status_badge  # noqa: E402
from app.payments.money import format_money, tenge  # noqa: E402
from app.payments.products import product_title, register_product  # noqa: E402
from app.payments.services import LineSpec, checkout_url, create_order  # noqa: E402

__all__ = ["LineSpec", "checkout_url", "create_order", "format_money", "init_app", "register_product", "tenge"]


def init_app(app: Flask) -> None:
    """Wire payments in: its pages, and the `money` filter and status labels for templates.
    Products are registered by the features that sell them, from their own init_app."""
    app.register_blueprint(bp)
    app.add_template_filter(format_money, "money")
    app.add_template_global(product_title, "payment_product_title")
    app.add_template_global(status_badge, "payment_status_badge")
    app.jinja_env.globals["PAYMENT_STATUS_LABELS"] = STATUS_LABELS
