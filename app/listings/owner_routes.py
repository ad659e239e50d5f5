"""The owner's promotion and lifecycle actions on a listing: raise it for free, renew it,
order a paid service. Owners only (403 for anyone else), CSRF on every form."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import edits, payments
from app.extensions import db
from app.i18n.formats import format_datetime
from app.listings import bp, lifecycle, paid, promotions
from app.listings.forms import DeleteForm
from app.listings.routes import get_listing_for_owner


def back_to(listing_id: int, panel: str = "promote"):
    return redirect(url_for("listings.show", listing_id=listing_id, _anchor=panel))


@bp.route("/<int:listing_id>/raise", methods=["POST"])
@login_required
def raise_listing(listing_id: int):
    """Raise one's own active listing to the top of "newest" for free, once per
    LISTING_FREE_RAISE_HOURS; refused, saying when the next free raise is, before then."""
    listing = get_listing_for_owner(listing_id)
    if not DeleteForm().validate_on_submit():
        abort(400)
    if not promotions.can_raise(listing):
        flash(_("Only a listing on sale can be raised."), "warning")
    elif promotions.free_raise(listing):
        db.session.commit()
        flash(_("Your listing is at the top of the newest cars again."), "success")
    else:
        when = format_datetime(promotions.next_free_raise(listing))
        flash(_("The next free raise is on %(when)s.", when=when), "warning")
    return back_to(listing.id)


@bp.route("/<int:listing_id>/renew", methods=["POST"])
@login_required
def renew(listing_id: int):
    """Keep one's own listing on sale for another lifetime (an expired one comes back)."""
    listing = get_listing_for_owner(listing_id)
    if not DeleteForm().validate_on_submit():
        abort(400)
    if not lifecycle.renew(listing):
        flash(_("Only a listing on sale or expired can be renewed."), "warning")
        return back_to(listing.id, "renew")
    db.session.commit()
    when = format_datetime(listing.expires_at)
    flash(_("Renewed: your listing stays on sale until %(when)s.", when=when), "success")
    return back_to(listing.id, "renew")


@bp.route("/<int:listing_id>/promote", methods=["POST"])
@login_required
def promote(listing_id: int):
    """Order a paid service for one's own active listing and go to the checkout page; the
    service starts only when payments hears the provider's verified "paid"."""
    listing = get_listing_for_owner(listing_id)
    form = paid.BuyForm()
    form.fill_choices()
    if not form.validate_on_submit():
        abort(400)
    if not promotions.can_raise(listing):
        flash(_("Only a listing on sale can be promoted."), "warning")
        return back_to(listing.id)
    if (repeat := edits.claim_token(form.form_token.data)) is not None:
        return repeat
    order = paid.start_order(current_user, listing, form.product.data)
    edits.record_result(form.form_token.data, payments.checkout_url(order))
    db.session.commit()
    return redirect(payments.checkout_url(order))
