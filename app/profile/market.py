"""Marketplace parts of profiles: the dealers directory, a dealer's inventory with the
search filters, and seller reviews (write one about a car after a chat about it, delete
one's own, the seller's one answer). Reviews of oneself are refused; everything that
writes needs a signed-in user."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app import edits
from app.extensions import db
from app.listings.filters import Filters
from app.listings.routes import SORT_LABELS, filter_form
from app.listings.search import card_context, search
from app.models import Review, User
from app.profile import bp, reviews
from app.profile.forms import ReviewForm, ReviewReplyForm
from app.profile.routes import get_user_or_404


def seller_market(user) -> dict:
    """What the profile page shows of the marketplace: rating, reviews, cars on sale, the
    review form (for signed-in visitors with a car of this seller they may review; the
    others who never reviewed them get `review_hint`, how to get there) and whether the
    visitor is the seller, who may answer reviews."""
    page = search(Filters(), seller_id=user.id, per_page=12)
    written = reviews.seller_reviews(user)
    form, hint = None, None
    if current_user.is_authenticated and current_user.id != user.id:
        cars = reviews.reviewable_listings(current_user, user)
        form = ReviewForm().offer(cars) if cars else None
        reviewed = any(review.author_id == current_user.id for review in written)
        hint = None if cars or reviewed else reviews.no_deal_message()
    return {
        "rating": reviews.seller_rating(user),
        "reviews": written,
        "page": page,
        "review_form": form,
        "review_hint": hint,
        "can_answer": current_user.is_authenticated and current_user.id == user.id,
        "may_report": reviews.may_report,
        **card_context(page.listings, current_user),
    }


def reviews_url(seller: User, review_id: int | None = None) -> str:
    return url_for("profile.show", username=seller.username, _anchor=f"review-{review_id}" if review_id else "reviews")


def flash_errors(form) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "danger")


@bp.route("/u/<username>/review", methods=["POST"])
@login_required
def review(username: str):
    """Publish a review of one of the seller's cars; refused (with why) without a chat about
    that car in which both wrote, for a car already reviewed, and of oneself (403)."""
    seller = get_user_or_404(username)
    if seller.id == current_user.id:
        abort(403)
    cars = reviews.reviewable_listings(current_user, seller)
    form = ReviewForm().offer(cars)
    # A repeat of a submit that worked finds no car left to review: send it to that review first.
    if form.form_token.validate(form) and (repeat := edits.claim_token(form.form_token.data)) is not None:
        return repeat
    if not cars:
        flash(reviews.no_deal_message(), "warning")
    elif form.validate_on_submit():
        listing = next(car for car in cars if car.id == form.listing_id.data)
        try:
            written = reviews.write_review(current_user, listing, form.rating.data, form.text.data)
        except reviews.ReviewRefused as refused:
            db.session.rollback()
            flash(str(refused), "warning")
            return redirect(reviews_url(seller))
        edits.record_result(form.form_token.data, reviews_url(seller, written.id))
        db.session.commit()
        flash(_("Thank you, your review is published."), "success")
        return redirect(reviews_url(seller, written.id))
    else:
        flash_errors(form)
    return redirect(reviews_url(seller))


def review_or_404(username: str, review_id: int) -> tuple[User, Review]:
    """The seller and their shown review (a removed one or another seller's: 404)."""
    seller = get_user_or_404(username)
    found = db.session.get(Review, review_id)
    if found is None or found.seller_id != seller.id or found.removed_at is not None:
        abort(404)
    return seller, found


@bp.route("/u/<username>/reviews/<int:review_id>/reply", methods=["POST"])
@login_required
def reply_to_review(username: str, review_id: int):
    """The seller answers a review once, publicly; anyone else gets 403."""
    seller, found = review_or_404(username, review_id)
    if current_user.id != seller.id:
        abort(403)
    form = ReviewReplyForm()
    if form.validate_on_submit():
        try:
            reviews.reply_to(current_user, found, form.reply.data)
        except reviews.ReviewRefused as refused:
            flash(str(refused), "warning")
        else:
            db.session.commit()
            flash(_("Your answer is published."), "success")
    else:
        flash_errors(form)
    return redirect(reviews_url(seller, found.id))


@bp.route("/u/<username>/reviews/<int:review_id>/delete", methods=["POST"])
@login_required
def delete_review(username: str, review_id: int):
    """Delete one's own review (anyone else's: 404)."""
    seller, found = review_or_404(username, review_id)
    if found.author_id != current_user.id:
        abort(404)
    if not FlaskForm().validate_on_submit():  # the CSRF token is all it carries
        abort(400)
    db.session.delete(found)
    db.session.commit()
    flash(_("Your review is deleted."), "success")
    return redirect(reviews_url(seller))


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
