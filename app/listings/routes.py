"""Listing pages: search, create and edit, the listing page, photos (JSON), favourites and
saved searches. Owners-only actions answer 403 to anyone else; hidden listings are 404."""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from app import edits, media
from app.catalog import services as catalog
from app.catalog.choices import (
    BODY_TYPES,
    COLOURS,
    CONDITIONS,
    DRIVES,
    FUELS,
    STEERING,
    TRANSMISSIONS,
)
from app.core.page_cache import for_visitors
from app.extensions import db, limiter
from app.i18n.formats import format_number
from app.i18n.phone import format_phone
from app.listings import bp, freshness, paid, promotions, services
from app.listings.compare import compared_ids
from app.listings.deals import deal_ratings
from app.listings.display import status_label
from app.listings.favorites import favourite_ids, toggle_favourite, user_favourites
from app.listings.filters import Filters, MultiArgs
from app.listings.forms import DeleteForm, ListingForm, NewListingForm, SaveSearchForm
from app.listings.phone import record_reveal, seller_phone, tel_link
from app.listings.photos import PhotoLimit, add_photo, ordered_photos, photo_json, reorder_photos
from app.listings.photos import delete_photo as remove_photo
from app.listings.saved_searches import delete_saved_search as remove_saved_search
from app.listings.saved_searches import save_search
from app.listings.search import card_context, seller_listings, seller_ratings, similar_listings
from app.listings.search import count as count_matches
from app.listings.search import search as find_listings
from app.listings.top import top_slot
from app.media import ImageRejected
from app.models import Listing, ListingPhoto, SavedSearch
from app.models.listing import MAX_PHOTOS

CHOICES = {
    "body": BODY_TYPES,
    "fuel": FUELS,
    "transmission": TRANSMISSIONS,
    "drive": DRIVES,
    "colour": COLOURS,
    "steering": STEERING,
    "condition": CONDITIONS,
}


def get_listing_or_404(listing_id: int) -> Listing:
    """The listing if the current user may see it: public, or theirs, or they moderate."""
    listing = db.session.get(Listing, listing_id)
    if listing is None:
        abort(404)
    if not listing.is_public and not can_manage(listing) and not moderates():
        abort(404)
    return listing


def get_listing_for_owner(listing_id: int) -> Listing:
    """The listing if the current user owns it: 404 when missing or removed, 403 otherwise."""
    listing = db.session.get(Listing, listing_id)
    if listing is None or listing.status == "removed":
        abort(404)
    if not can_manage(listing):
        abort(403)
    return listing


def can_manage(listing: Listing) -> bool:
    return current_user.is_authenticated and current_user.id == listing.seller_id


def moderates() -> bool:
    return current_user.is_authenticated and current_user.is_moderator


def filter_options(filters: Filters) -> dict:
    """Select options for the filter form, the dependent ones from the chosen parent."""
    v = filters.values
    cached = catalog.cached
    brand, model, region = v.get("brand"), v.get("model"), v.get("region")
    return {
        "brands": cached(("brands",), catalog.brand_choices),
        "models": cached(("models", brand), lambda: catalog.model_choices(brand)),
        "generations": cached(("generations", model), lambda: catalog.generation_choices(model)) if model else [],
        "regions": cached(("regions", str(get_locale())), catalog.region_choices),
        "cities": cached(("cities", region, str(get_locale())), lambda: catalog.city_choices(region)),
        # Translated once per locale, not once per option per page view.
        "choices": cached(("choices", str(get_locale())), translated_choices),
        "sorts": SORT_LABELS(),
    }


def translated_choices() -> dict[str, list[tuple[str, str]]]:
    return {name: [(value, str(label)) for value, label in mapping.items()] for name, mapping in CHOICES.items()}


def SORT_LABELS() -> list[tuple[str, str]]:  # noqa: N802 (translated at request time)
    return [
        ("newest", _("Newest first")),
        ("price_asc", _("Cheapest first")),
        ("price_desc", _("Most expensive first")),
        ("year_desc", _("Newest model year")),
        ("mileage_asc", _("Lowest mileage")),
    ]


def filter_form(filters: Filters, action: str) -> Markup:
    """The filter form's HTML. It holds nothing personal (a GET form, no CSRF token), so it is
    rendered once per locale, page and filter set and kept in the catalogue's shared cache
    (made-up filter sets beyond its budget are rendered, not stored): it is a third of the
    search page's template time."""
    key = ("filter-form", str(get_locale()), action, filters.query_string())

    def render() -> Markup:
        html = render_template(
            "listings/_filters.html", filters=filters, options=filter_options(filters), action=action
        )
        return Markup(html)  # noqa: S704 (our own template's output, escaped by Jinja)

    return catalog.cached(key, render)


@bp.route("/")
@for_visitors("CACHE_SEARCH_SECONDS", freshness.NAMESPACE, vary=lambda: tuple(compared_ids()))
def search():
    """Search with filters; every filter lives in the URL. Malformed values are ignored.
    Visitors who are not signed in share each page for CACHE_SEARCH_SECONDS (core/page_cache.py)
    until anything it shows changes (freshness.py)."""
    filters = Filters.parse(request.args)
    page = find_listings(filters)
    top = top_slot(filters, current_app.config["TOP_SLOTS"])
    save_form = SaveSearchForm(query=filters.query_string()) if current_user.is_authenticated else None
    return render_template(
        "listings/search.html",
        filters=filters,
        page=page,
        top=top,
        filter_form=filter_form(filters, url_for("listings.search")),
        save_form=save_form,
        sorts=SORT_LABELS(),
        **card_context(page.listings + top, current_user),
    )


@bp.route("/count")
def count():
    """JSON for the filter panel's apply button: how many cars the filters in the query
    string find (exact up to the numbered pages, else the same estimate as the page) and the
    button's text. Malformed filters are ignored, as on the page."""
    total, about = count_matches(Filters.parse(request.args))
    if about:
        label = _("Show about %(n)s cars", n=format_number(total))
    else:
        label = ngettext("Show %(num)s car", "Show %(num)s cars", total)  # exact counts are small
    return jsonify(count=total, about=about, label=label)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Create a listing as a draft (only its seller sees it); photos and Publish come on the
    next page. A refused form comes back with everything that was typed and the reasons."""
    form = NewListingForm()
    form.fill_choices()
    form.submit.label.text = _("Save and add photos")
    if form.validate_on_submit():
        if (repeat := edits.claim_token(form.form_token.data)) is not None:
            return repeat
        listing = services.create_listing(current_user, form.listing_data(), draft=True)
        edits.record_result(form.form_token.data, url_for("listings.edit", listing_id=listing.id, _anchor="photos"))
        db.session.commit()
        flash(_("Your draft is saved. Add at least one photo, then press Publish."), "success")
        return redirect(url_for("listings.edit", listing_id=listing.id, _anchor="photos"))
    return render_template("listings/form.html", form=form, listing=None), 400 if form.errors else 200


@bp.route("/<int:listing_id>/edit", methods=["GET", "POST"])
@login_required
def edit(listing_id: int):
    """Edit one's own listing and manage its photos; others get 403."""
    listing = get_listing_for_owner(listing_id)
    form = ListingForm(obj=listing)
    if request.method == "GET":
        form.region_id.data = listing.region_id
    form.fill_choices()
    if form.validate_on_submit() and not edits.edit_conflict(form, Listing.edit_version, listing):
        services.update_listing(listing, form.listing_data())
        db.session.commit()
        flash(_("Your changes are saved."), "success")
        if listing.status == "draft":
            return redirect(url_for("listings.edit", listing_id=listing.id, _anchor="publish"))
        return redirect(url_for("listings.show", listing_id=listing.id))
    photos = ordered_photos(listing)
    return render_template(
        "listings/form.html",
        form=form,
        listing=listing,
        photos=photos,
        max_photos=MAX_PHOTOS,
        publish_form=DeleteForm(),
    ), edits.status_of(form)


@bp.route("/<int:listing_id>/publish", methods=["POST"])
@login_required
def publish(listing_id: int):
    """Put one's own draft on sale; refused, with the reason, while it has no photo."""
    listing = get_listing_for_owner(listing_id)
    if not DeleteForm().validate_on_submit():
        abort(400)
    if listing.status != "draft":
        return redirect(url_for("listings.show", listing_id=listing.id))
    if not services.publish(listing):
        flash(_("Add at least one photo before publishing."), "warning")
        return redirect(url_for("listings.edit", listing_id=listing.id, _anchor="photos"))
    db.session.commit()
    flash(_("Your listing is published."), "success")
    return redirect(url_for("listings.show", listing_id=listing.id))


@bp.route("/<int:listing_id>/status", methods=["POST"])
@login_required
def change_status(listing_id: int):
    """Reserve, mark sold, archive, re-activate or delete (soft) one's own listing."""
    listing = get_listing_for_owner(listing_id)
    form = DeleteForm()
    action = request.form.get("action", "")
    if not form.validate_on_submit() or not services.change_status(listing, action):
        flash(_("That change is not possible for this listing."), "danger")
        return redirect(url_for("listings.show", listing_id=listing.id))
    db.session.commit()
    flash(_("The listing is now: %(status)s.", status=status_label(listing.status)), "success")
    if listing.status == "removed":
        return redirect(url_for("profile.show", username=current_user.username))
    return redirect(url_for("listings.show", listing_id=listing.id))


@bp.route("/<int:listing_id>")
def show(listing_id: int):
    """The listing page: gallery, specs, price history, seller, similar cars. Counts a view
    once a day per visitor, never the owner's."""
    listing = get_listing_or_404(listing_id)
    owner = can_manage(listing)
    if not owner and listing.is_public:
        visitor = services.visitor_key(current_user, request.remote_addr, request.headers.get("User-Agent"))
        if services.record_view(listing, visitor):
            db.session.commit()
            db.session.refresh(listing)
    rating = seller_ratings({listing.seller_id}).get(listing.seller_id)
    similar = similar_listings(listing)
    others = seller_listings(listing.seller_id, exclude=listing.id)
    favourites = favourite_ids(current_user, [listing.id, *(item.id for item in similar + others)])
    deals = deal_ratings([listing, *similar])
    return render_template(
        "listings/show.html",
        listing=listing,
        photos=ordered_photos(listing),
        owner=owner,
        rating=rating,
        similar=similar,
        others=others,
        favourite_ids=favourites,
        ratings=seller_ratings({item.seller_id for item in similar + others}),
        deal=deals.get(listing.id),
        deals=deals,
        choices=CHOICES,
        chat_url=chat_url(listing),
        seller_unavailable=listing.seller.is_banned,
        has_phone=seller_phone(listing.seller) is not None,
        report_url=report_url(listing),
        status_form=DeleteForm(),
        status_label=status_label,
        promotion=promotions.owner_view(listing) if owner else None,
        buy_form=paid.buy_form(listing) if owner else None,
    )


def phone_key() -> str:
    """Rate-limit key for phone reveals: per member, whatever address they come from."""
    return f"phone:{current_user.get_id() if current_user.is_authenticated else request.remote_addr}"


@bp.route("/<int:listing_id>/phone", methods=["POST"])
@limiter.limit("30 per hour", key_func=phone_key)
def reveal_phone(listing_id: int):
    """Show a signed-in member the seller's phone and count it (once per member): JSON for
    the Call button, a flash for a plain form. Guests are sent to sign in (401 in JSON);
    refused for hidden listings (404), a banned seller (403) and a seller without a phone
    to show (404); 30 reveals an hour per member."""
    listing = get_listing_or_404(listing_id)
    json_wanted = request.accept_mimetypes.best == "application/json"
    if not current_user.is_authenticated:
        sign_in = url_for("auth.login", next=url_for("listings.show", listing_id=listing.id))
        if json_wanted:
            return jsonify(error=_("Sign in to see the phone."), sign_in=sign_in), 401
        return redirect(sign_in)
    if not DeleteForm().validate_on_submit():
        abort(400)
    phone = seller_phone(listing.seller)
    if listing.seller.is_banned:
        return phone_refused(listing, _("The seller is unavailable: this account is suspended."), 403, json_wanted)
    if phone is None:
        message = _("The seller has not shared a phone number. Write to them instead.")
        return phone_refused(listing, message, 404, json_wanted)
    record_reveal(listing, current_user)
    db.session.commit()
    if json_wanted:
        return jsonify(phone=format_phone(phone), tel=tel_link(phone))
    flash(_("The seller's phone: %(phone)s", phone=format_phone(phone)), "info")
    return redirect(url_for("listings.show", listing_id=listing.id))


def phone_refused(listing: Listing, message: str, code: int, json_wanted: bool):
    if json_wanted:
        return jsonify(error=message), code
    flash(message, "warning")
    return redirect(url_for("listings.show", listing_id=listing.id))


def chat_url(listing: Listing) -> str:
    """The chat with the seller about this listing."""
    return url_for("chat.conversation", username=listing.seller.username, listing=listing.id)


def report_url(listing: Listing) -> str:
    return url_for("reports.new", target_type="listing", target_id=listing.id)


# --- photos (JSON, called by listings.js) --------------------------------------------


@bp.route("/<int:listing_id>/photos", methods=["POST"])
@login_required
@media.limit_photo_uploads
def upload_photos(listing_id: int):
    """Add one or more photos (field "photos"); answers the gallery and per-file errors as
    JSON. Refuses others' listings (403) and more than MAX_PHOTOS photos."""
    listing = get_listing_for_owner(listing_id)
    files = request.files.getlist("photos")
    if not files:
        return jsonify(error=_("Choose at least one picture.")), 400
    errors = []
    for upload in files:
        try:
            add_photo(listing, upload.stream)
        except PhotoLimit:
            errors.append({"file": upload.filename, "error": _("A listing has at most %(n)s photos.", n=MAX_PHOTOS)})
            break
        except ImageRejected as error:
            errors.append({"file": upload.filename, "error": str(error)})
    db.session.commit()
    photos = [photo_json(photo) for photo in ordered_photos(listing)]
    status = 400 if errors and len(errors) == len(files) else 200
    return jsonify(photos=photos, errors=errors), status


def get_photo_for_owner(listing_id: int, photo_id: int) -> tuple[Listing, ListingPhoto]:
    listing = get_listing_for_owner(listing_id)
    photo = db.session.get(ListingPhoto, photo_id)
    if photo is None or photo.listing_id != listing.id:
        abort(404)
    return listing, photo


@bp.route("/<int:listing_id>/photos/<int:photo_id>/delete", methods=["POST"])
@login_required
def delete_photo(listing_id: int, photo_id: int):
    """Delete one photo of one's own listing."""
    listing, photo = get_photo_for_owner(listing_id, photo_id)
    remove_photo(listing, photo)
    db.session.commit()
    return jsonify(photos=[photo_json(p) for p in ordered_photos(listing)])


@bp.route("/<int:listing_id>/photos/order", methods=["POST"])
@login_required
def order_photos(listing_id: int):
    """Reorder photos: JSON {"ids": [...]} with every photo id once; the first is the cover."""
    listing = get_listing_for_owner(listing_id)
    payload = request.get_json(silent=True)
    ids = payload.get("ids") if isinstance(payload, dict) else None
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        return jsonify(error=_("Send the list of photo ids.")), 400
    if not reorder_photos(listing, ids):
        return jsonify(error=_("The list must hold each photo of this listing once.")), 400
    db.session.commit()
    return jsonify(photos=[photo_json(p) for p in ordered_photos(listing)])


# --- favourites ----------------------------------------------------------------------


@bp.route("/<int:listing_id>/favorite", methods=["POST"])
@login_required
def toggle_favorite(listing_id: int):
    """Save or unsave a public listing; JSON for scripts, a redirect for plain forms."""
    listing = get_listing_or_404(listing_id)
    if not DeleteForm().validate_on_submit():
        abort(400)
    if not listing.is_public:
        abort(404)
    saved = toggle_favourite(current_user, listing)
    db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        return jsonify(saved=saved)
    flash(_("Saved to your favourites.") if saved else _("Removed from your favourites."), "success")
    return redirect(request.referrer or url_for("listings.show", listing_id=listing.id))


def favorites():
    """The signed-in user's saved listings (at /favorites)."""
    listings, unavailable = user_favourites(current_user)
    return render_template(
        "listings/favorites.html",
        listings=listings,
        unavailable=unavailable,
        **card_context(listings + unavailable, current_user),
    )


# --- saved searches ------------------------------------------------------------------


@bp.route("/saved", methods=["GET", "POST"])
@login_required
def saved_searches():
    """List one's saved searches; POST saves the current filters."""
    form = SaveSearchForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400, str(edits.EXPIRED_FORM) if form.form_token.errors else None)
        if (repeat := edits.claim_token(form.form_token.data)) is not None:
            return repeat
        filters = Filters.parse(MultiArgs(form.query.data or ""))
        if save_search(current_user, filters, form.name.data) is None:
            flash(_("You have too many saved searches; delete some first."), "warning")
        else:
            edits.record_result(form.form_token.data, url_for("listings.saved_searches"))
            db.session.commit()
            flash(_("Search saved. We will tell you about new matches."), "success")
        return redirect(url_for("listings.saved_searches"))
    query = select(SavedSearch).where(SavedSearch.user_id == current_user.id).order_by(SavedSearch.created_at.desc())
    return render_template("listings/saved.html", searches=list(db.session.scalars(query)), delete_form=DeleteForm())


@bp.route("/saved/<int:search_id>/delete", methods=["POST"])
@login_required
def delete_saved_search(search_id: int):
    """Delete one of one's own saved searches (others' → 404)."""
    saved = db.session.get(SavedSearch, search_id)
    if saved is None or saved.user_id != current_user.id:
        abort(404)
    if not DeleteForm().validate_on_submit():
        abort(400)
    remove_saved_search(saved)
    db.session.commit()
    flash(_("Saved search deleted."), "success")
    return redirect(url_for("listings.saved_searches"))


@bp.route("/mine")
@login_required
def mine():
    """The signed-in user's own listings in every state but deleted, with views and favourites."""
    query = (
        select(Listing)
        .where(Listing.seller_id == current_user.id, Listing.status != "removed")
        .order_by(Listing.updated_at.desc())
    )
    return render_template("listings/mine.html", listings=list(db.session.scalars(query)), status_label=status_label)
