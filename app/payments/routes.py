"""Payment pages: the order (checkout, then receipt), "My payments", the sandbox provider's
page, the providers' callback, and the admin's orders and promo codes.

Only a verified callback moves an order to paid (`callback`, or the sandbox's own
server-side delivery through the same `services.receive_callback`); the buyer coming back
from the provider (`back`) only shows the order as it is.
"""

from __future__ import annotations

import logging

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import edits, inputs
from app.auth.decorators import admin_required
from app.extensions import csrf, db, limiter
from app.models.payment import ORDER_STATUSES, Order, PromoCode
from app.payments import bp, promos, services
from app.payments.forms import ActionForm, PromoCodeForm, PromoForm
from app.payments.providers import (
    SANDBOX_SIGNATURE_HEADER,
    InvalidCallback,
    RefundRefused,
    SandboxProvider,
    provider_for,
)

log = logging.getLogger(__name__)
MAX_CALLBACK_BYTES = 8192


def checked(form_class=ActionForm):
    form = form_class()
    if not form.validate_on_submit():
        abort(400)
    return form


def own_order_or_404(order_id: int) -> Order:
    order = services.users_order(current_user.id, order_id)
    if order is None:
        abort(404)
    return order


# --- the buyer's pages -----------------------------------------------------------------


@bp.route("/")
@login_required
def history():
    """My payments: the member's orders, newest first."""
    pagination = services.history(current_user.id, inputs.page_arg())
    return render_template("payments/history.html", pagination=pagination)


@bp.route("/orders/<int:order_id>")
@login_required
def order(order_id: int):
    """Checkout while the order is pending (promo code, Pay, Cancel), its receipt after.
    Admins may look at any order (read only)."""
    found = db.session.get(Order, order_id)
    if found is None or (found.user_id != current_user.id and not current_user.is_admin):
        abort(404)
    return render_template(
        "payments/order.html",
        order=found,
        own=found.user_id == current_user.id,
        promo_form=PromoForm(),
        form=ActionForm(),
        payments_on=provider_for() is not None,
    )


@bp.route("/orders/<int:order_id>/promo", methods=["POST"])
@login_required
@limiter.limit("30 per hour", methods=["POST"])
def apply_promo(order_id: int):
    """Add a promo code to one's pending order; a refused code says why."""
    found = own_order_or_404(order_id)
    form = PromoForm()
    if not form.validate_on_submit():
        flash(str(form.code.errors[0]) if form.code.errors else _("Enter the promo code."), "danger")
        return redirect(url_for("payments.order", order_id=order_id))
    try:
        promos.apply(found, current_user.id, form.code.data)
    except promos.PromoRefused as refusal:
        flash(str(refusal.message), "danger")
        return redirect(url_for("payments.order", order_id=order_id))
    db.session.commit()
    flash(_("The promo code is applied."), "success")
    return redirect(url_for("payments.order", order_id=order_id))


@bp.route("/orders/<int:order_id>/pay", methods=["POST"])
@login_required
def pay(order_id: int):
    """Send the buyer to the provider's payment page (a second click: the same payment).
    An order a promo code made free is completed here, with nothing to pay."""
    checked()
    found = own_order_or_404(order_id)
    if found.status != "pending":
        return redirect(url_for("payments.order", order_id=order_id))
    if found.total == 0:
        services.complete_free(found)
        db.session.commit()
        flash(_("Done: the order is paid with the promo code."), "success")
        return redirect(url_for("payments.order", order_id=order_id))
    provider = provider_for()
    if provider is None:
        flash(_("Online payment is not available at the moment. Please try later."), "warning")
        return redirect(url_for("payments.order", order_id=order_id))
    url = services.start_payment(found, provider)
    db.session.commit()
    return redirect(url)


@bp.route("/orders/<int:order_id>/cancel", methods=["POST"])
@login_required
def cancel(order_id: int):
    """The buyer gives up a pending order (its promo code can be used again)."""
    checked()
    found = own_order_or_404(order_id)
    if services.cancel_by_buyer(found):
        db.session.commit()
        flash(_("The order is cancelled. Nothing was charged."), "info")
    return redirect(url_for("payments.order", order_id=order_id))


@bp.route("/orders/<int:order_id>/back")
@login_required
def back(order_id: int):
    """Where the provider sends the buyer back. It changes nothing: a buyer could open this
    address without paying. The order page shows what the verified callback decided."""
    found = own_order_or_404(order_id)
    if found.status == "pending":
        flash(_("We are waiting for the payment system to confirm the payment. Reload the page in a minute."), "info")
    return redirect(url_for("payments.order", order_id=order_id))


# --- providers -------------------------------------------------------------------------


@bp.route("/callback/<provider_name>", methods=["POST"])
@csrf.exempt
@limiter.limit("600 per minute")
def callback(provider_name: str):
    """A provider's server tells us how a payment ended. Signed: anything else is a 400
    and changes nothing; a repeated callback is answered 200 and changes nothing."""
    provider = provider_for() if provider_name == current_app.config.get("PAYMENTS_PROVIDER") else None
    if provider is None or provider.name != provider_name:
        abort(404)
    body = request.get_data(cache=False)
    if len(body) > MAX_CALLBACK_BYTES:
        abort(400)
    try:
        result = services.receive_callback(provider, body, request.headers)
    except InvalidCallback as error:
        db.session.rollback()
        log.warning("payments: refused %s callback: %s", provider_name, error)
        return {"ok": False, "error": "invalid callback"}, 400
    db.session.commit()
    return {"ok": True, "result": result}


def sandbox_order(ref: str) -> tuple[SandboxProvider, Order]:
    """The sandbox provider and the signed-in buyer's order it is paying (404 otherwise)."""
    provider = provider_for()
    if not isinstance(provider, SandboxProvider):
        abort(404)
    found = db.session.scalar(db.select(Order).where(Order.provider == "sandbox", Order.provider_ref == ref))
    if found is None or found.user_id != current_user.id:
        abort(404)
    return provider, found


@bp.route("/sandbox/<ref>", methods=["GET", "POST"])
@login_required
def sandbox(ref: str):
    """The sandbox provider's payment page: Pay, Fail or Cancel. The choice is sent as the
    provider's server would send it - a body signed with the sandbox secret, through the
    same verification as `callback` - and the buyer is then sent back to the shop."""
    provider, found = sandbox_order(ref)
    form = ActionForm()
    if request.method == "POST":
        outcome = request.form.get("outcome")
        if not form.validate_on_submit() or outcome not in ("paid", "failed", "cancelled"):
            abort(400)
        body = provider.callback_body(found, outcome)
        try:
            services.receive_callback(provider, body, {SANDBOX_SIGNATURE_HEADER: provider.sign(body)})
        except InvalidCallback:
            db.session.rollback()
            abort(409)
        db.session.commit()
        return redirect(url_for("payments.back", order_id=found.id))
    return render_template("payments/sandbox.html", order=found, form=form)


# --- administration --------------------------------------------------------------------


@bp.route("/admin/orders")
@admin_required
def admin_orders():
    """Every order, newest first, filtered by status."""
    status = request.args.get("status")
    status = status if status in ORDER_STATUSES else None
    pagination = services.all_orders(inputs.page_arg(), status)
    return render_template(
        "payments/admin_orders.html",
        pagination=pagination,
        status=status,
        counts=services.count_by_status(),
        form=ActionForm(),
    )


@bp.route("/admin/orders/<int:order_id>/refund", methods=["POST"])
@admin_required
def refund(order_id: int):
    """Give a paid order's money back and undo its services."""
    checked()
    found = db.get_or_404(Order, order_id)
    try:
        done = services.refund(found, current_user, provider_for())
    except RefundRefused as error:
        db.session.rollback()
        log.warning("payments: refund of order %s refused: %s", order_id, error)
        flash(_("The payment system refused the refund. Nothing was changed."), "danger")
        return redirect(url_for("payments.admin_orders"))
    if done:
        db.session.commit()
        flash(_("Order %(number)s is refunded.", number=order_id), "success")
    else:
        flash(_("Only a paid order can be refunded."), "warning")
    return redirect(url_for("payments.admin_orders"))


@bp.route("/admin/promo-codes", methods=["GET", "POST"])
@admin_required
def admin_promo_codes():
    """The promo codes, with their use, and the form for a new one."""
    form = PromoCodeForm()
    if form.validate_on_submit():
        if (repeat := edits.claim_token(form.form_token.data)) is not None:
            return repeat
        if promos.create(current_user, **form.promo_fields()) is None:
            form.code.errors.append(_("A promo code with this name exists."))
        else:
            edits.record_result(form.form_token.data, url_for("payments.admin_promo_codes"))
            db.session.commit()
            flash(_("The promo code is created."), "success")
            return redirect(url_for("payments.admin_promo_codes"))
        db.session.rollback()
    return render_template("payments/admin_promo_codes.html", form=form, codes=promos.all_codes(), action=ActionForm())


@bp.route("/admin/promo-codes/<int:promo_id>/active", methods=["POST"])
@admin_required
def toggle_promo(promo_id: int):
    """Disable a code (it is then refused as no longer valid) or enable it again."""
    checked()
    promo = db.get_or_404(PromoCode, promo_id)
    promos.set_active(promo, current_user, not promo.active)
    db.session.commit()
    return redirect(url_for("payments.admin_promo_codes"))
