"""Marketplace parts of profiles: the dealers directory, a dealer's inventory with the
search filters, and seller reviews (write, delete one's own). Reviews of oneself are
refused; everything that writes needs a signed-in user."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import edits
from app.extensions import db
from app.listings.filters import Filters
from app.listings.routes import SORT_LABELS, filter_form
from app.listings.search import card_context, search
from app.profile import bp, reviews
from app.profile.forms import ReviewForm
from app.profile.routes import get_user_or_404


def seller_market(user) -> dict:
    """What the profile page shows of the marketplace: rating, reviews, cars on sale and
    the review form (for signed-in visitors other than the seller)."""
    page = search(Filters(), seller_id=user.id, per_page=12)
    form = None
    if current_user.is_authenticated and current_user.id != user.id:
        existing = reviews.review_of(current_user, user)
        form = ReviewForm(obj=existing) if existing else ReviewForm()
    return {
        "rating": reviews.seller_rating(user),
        "reviews": reviews.seller_reviews(user),
        "page": page,
        "review_form": form,
        **card_context(page.listings, current_user),
    }


@bp.route("/u/<username>/review", methods=["POST"])
@login_required
def review(username: str):
    """Write or replace one's review of a seller; never of oneself (403)."""
    seller = get_user_or_404(username)
    if seller.id == current_user.id:
        abort(403)
    form = ReviewForm()
    if form.validate_on_submit():
        if (repeat := edits.claim_token(form.form_token.data)) is not None:
            return repeat
        reviews.write_review(current_user, seller, form.rating.data, form.text.data)
        edits.record_result(form.form_token.data, url_for("profile.show", username=seller.username, _anchor="reviews"))
        db.session.commit()
        flash(_("Thank you, your review is published."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
    return redirect(url_for("profile.show", username=seller.username, _anchor="reviews"))


@bp.route("/u/<username>/review/delete", methods=["POST"])
@login_required
def delete_review(username: str):
    """Delete one's own review of this seller."""
    seller = get_user_or_404(username)
    existing = reviews.review_of(current_user, seller)
    if existing is None:
        abort(404)
    db.session.delete(existing)
    db.session.commit()
    flash(_("Your review is deleted."), "success")
    return redirect(url_for("profile.show", username=seller.username, _anchor="reviews"))


@bp.route("/dealers")
def dealers():
    """The dealers directory: verified first, with cars on sale and rating."""
    return render_template("profile/dealers.html", dealers=reviews.dealers())


@bp.route("/dealers/<username>")
def dealer(username: str):
    """A dealer's page: company details, verified badge and inventory with the search filters."""
    user = get_user_or_404(username)
    if not user.is_dealer:
        abort(404)
    filters = Filters.parse(request.args)
    page = search(filters, seller_id=user.id)
    return render_template(
        "profile/dealer.html",
        user=user,
        dealer=user.dealer_profile,
        filters=filters,
        page=page,
        filter_form=filter_form(filters, url_for("profile.dealer", username=user.username)),
        sorts=SORT_LABELS(),
        rating=reviews.seller_rating(user),
        **card_context(page.listings, current_user),
    )
