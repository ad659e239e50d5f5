"""Comparison: up to MAX_COMPARED listings side by side, the rows where they differ marked.

The chosen ids live in a cookie of their own (not the session, which sign-in clears), so a
guest's comparison survives signing in and needs no table. The cookie is read as untrusted
input: at most MAX_COMPARED numbers; ids of missing or hidden listings are dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.catalog.choices import BODY_TYPES, COLOURS, CONDITIONS, DRIVES, FUELS, STEERING, TRANSMISSIONS
from app.extensions import db
from app.i18n.formats import format_engine_volume, format_mileage, format_power, format_price
from app.i18n.locale import local_name
from app.inputs import parse_int
from app.listings import bp
from app.listings.deals import LABELS as DEAL_LABELS
from app.listings.deals import RATED_STATUS
from app.listings.forms import DeleteForm
from app.models import MAX_ID, Listing

COOKIE = "compare"
COOKIE_MAX_AGE = 30 * 24 * 3600
MAX_COMPARED = 4


def compared_ids() -> list[int]:
    """The ids in the visitor's comparison, in the order they were added."""
    ids: list[int] = []
    for part in request.cookies.get(COOKIE, "")[:100].split("."):
        number = parse_int(part, minimum=1, maximum=MAX_ID)
        if number is not None and number not in ids and len(ids) < MAX_COMPARED:
            ids.append(number)
    return ids


def keep(response, ids: list[int]):
    """Store the comparison on the response (or forget it when empty)."""
    if not ids:
        response.delete_cookie(COOKIE)
        return response
    response.set_cookie(
        COOKIE,
        ".".join(map(str, ids)),
        max_age=COOKIE_MAX_AGE,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )
    return response


def compared_listings(ids: list[int]) -> list[Listing]:
    """The public listings among `ids`, in the comparison's order."""
    if not ids:
        return []
    query = select(Listing).where(Listing.id.in_(ids)).options(selectinload(Listing.city))
    found = {listing.id: listing for listing in db.session.scalars(query) if listing.is_public}
    return [found[listing_id] for listing_id in ids if listing_id in found]


def choice(mapping: dict, name: str) -> Callable[[Listing], str]:
    return lambda listing: str(mapping.get(getattr(listing, name), getattr(listing, name) or "—"))


def engine(listing: Listing) -> str:
    volume = format_engine_volume(listing.engine_volume_l) if listing.engine_volume_l else ""
    power = format_power(listing.power_hp) if listing.power_hp else ""
    return ", ".join(part for part in (volume, power) if part) or "—"


def deal_label(listing: Listing) -> str:
    rated = listing.deal_band and listing.status == RATED_STATUS
    return str(DEAL_LABELS[listing.deal_band]) if rated else "—"


# (label, how a listing's value is written): the rows of the comparison, in order.
ROWS: tuple[tuple[object, Callable[[Listing], str]], ...] = (
    (_l("Price"), lambda listing: format_price(listing.price, listing.currency)),
    (_l("Year"), lambda listing: str(listing.year)),
    (_l("Mileage"), lambda listing: format_mileage(listing.mileage_km)),
    (_l("Generation"), lambda listing: listing.generation.label if listing.generation else "—"),
    (_l("Body"), choice(BODY_TYPES, "body")),
    (_l("Engine"), engine),
    (_l("Fuel"), choice(FUELS, "fuel")),
    (_l("Transmission"), choice(TRANSMISSIONS, "transmission")),
    (_l("Drive"), choice(DRIVES, "drive")),
    (_l("Colour"), choice(COLOURS, "colour")),
    (_l("Steering"), choice(STEERING, "steering")),
    (_l("Condition"), choice(CONDITIONS, "condition")),
    (_l("City"), lambda listing: local_name(listing.city)),
    (_l("Seller"), lambda listing: _("Dealer") if listing.is_dealer else _("Private seller")),
    (_l("Price rating"), deal_label),
)


@dataclass
class Row:
    label: str
    values: list[str]

    @property
    def differs(self) -> bool:
        """Marked when at least two cars are compared and they do not all say the same."""
        return len(self.values) > 1 and len(set(self.values)) > 1


def comparison_rows(listings: list[Listing]) -> list[Row]:
    return [Row(str(label), [value(listing) for listing in listings]) for label, value in ROWS]


@bp.route("/compare")
def compare():
    """The comparison page; ids of listings gone since are dropped from the cookie."""
    ids = compared_ids()
    listings = compared_listings(ids)
    response = current_app.make_response(
        render_template(
            "listings/compare.html",
            listings=listings,
            rows=comparison_rows(listings),
            max_compared=MAX_COMPARED,
            form=DeleteForm(),
        )
    )
    kept = [listing.id for listing in listings]
    return keep(response, kept) if kept != ids else response


def back_to(listing_id: int):
    """Where a compare button returns: the page it was pressed on (a site path), else the car."""
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = url_for("listings.show", listing_id=listing_id)
    return redirect(target)


@bp.route("/compare/<int:listing_id>", methods=["POST"])
def compare_add(listing_id: int):
    """Add a public listing; a fifth is refused with the reason."""
    if not DeleteForm().validate_on_submit():
        abort(400)
    listing = db.session.get(Listing, listing_id)
    if listing is None or not listing.is_public:
        abort(404)
    ids = [item.id for item in compared_listings(compared_ids())]  # hidden since: a free slot
    if listing.id in ids:
        return back_to(listing.id)
    if len(ids) >= MAX_COMPARED:
        flash(_("You can compare up to %(n)s cars. Remove one from the comparison first.", n=MAX_COMPARED), "warning")
        return back_to(listing.id)
    ids.append(listing.id)
    flash(_("Added to the comparison (%(n)s of %(max)s).", n=len(ids), max=MAX_COMPARED), "success")
    return keep(back_to(listing.id), ids)


@bp.route("/compare/<int:listing_id>/remove", methods=["POST"])
def compare_remove(listing_id: int):
    if not DeleteForm().validate_on_submit():
        abort(400)
    ids = [i for i in compared_ids() if i != listing_id]
    return keep(back_to(listing_id), ids)


@bp.route("/compare/clear", methods=["POST"])
def compare_clear():
    if not DeleteForm().validate_on_submit():
        abort(400)
    return keep(redirect(url_for("listings.compare")), [])
