"""Selling promotions through payments: the products listings registers (fulfilled by the
verified paid callback, cancelled by a refund), the owner's "Buy" form and the order it
starts (the route is owner_routes.promote). Prices come from PROMOTION_PRICES in whole
tenge; payments counts tiyn."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField

from app import edits, payments
from app.i18n.formats import format_price
from app.listings import promotions
from app.models import Listing

TITLES = {
    "listing_top_1": _l("Top for 1 day"),
    "listing_top_3": _l("Top for 3 days"),
    "listing_top_7": _l("Top for 7 days"),
    "listing_highlight_7": _l("Highlight for 7 days"),
    "listing_raise": _l("Raise to the top now"),
}


def register_products(app: Flask) -> None:
    """Make the promotions sellable (from listings' init_app)."""
    for code in promotions.PRODUCTS:
        payments.register_product(app, code, title=TITLES[code], fulfil=fulfil_line, refund=refund_line)


def fulfil_line(line) -> None:
    """Payments' verified paid callback: activate what the line bought (once per line)."""
    promotions.fulfil(line.target_id, line.product, f"line:{line.id}")


def refund_line(line) -> None:
    """An admin refunded the order: take back what the line bought."""
    promotions.cancel(f"line:{line.id}")


class BuyForm(FlaskForm):
    form_token = edits.FormTokenField()  # one order per submitted form
    product = RadioField(_l("Paid services"), choices=[], default="listing_top_3")
    submit = SubmitField(_l("Go to payment"))

    def fill_choices(self) -> None:
        self.product.choices = [
            (code, f"{TITLES[code]} — {format_price(promotions.price_kzt(code))}") for code in promotions.PRODUCTS
        ]


def buy_form(listing: Listing) -> BuyForm | None:
    """The owner's form to buy a service: only for a listing on sale."""
    if not promotions.can_raise(listing):
        return None
    form = BuyForm()
    form.fill_choices()
    return form


def start_order(user, listing: Listing, code: str):
    """A pending order for one service on the listing, at today's price (in tiyn)."""
    line = payments.LineSpec(
        product=code,
        target_id=listing.id,
        amount=payments.tenge(promotions.price_kzt(code)),
        description=f"{TITLES[code]}: {listing.title}",
    )
    return payments.create_order(user, [line])
