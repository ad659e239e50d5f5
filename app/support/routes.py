"""The contact form and the requester's side of a ticket.

Guests and members write through the same form (CSRF, a one-time form token, and a rate
limit per address for guests and per account for members: SUPPORT_RATE_LIMIT). Members see
their tickets at /support/tickets; a guest's ticket is at its secret link /support/t/<key>,
shown after sending and put in every mail. Someone else's ticket is a 404.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.extensions import db, limiter
from app.models import SupportTicket
from app.support import bp, services
from app.support.forms import STATUS_LABELS, ContactForm, StatusForm, TicketMessageForm


@bp.context_processor
def labels():
    return {"status_labels": STATUS_LABELS}


def sender_key() -> str:
    """Rate-limit key: the account for members, the address for guests."""
    if current_user.is_authenticated:
        return f"support:u{current_user.id}"
    return f"support:{request.remote_addr}"


def contact_limit() -> str:
    return current_app.config["SUPPORT_RATE_LIMIT"]


@bp.route("/", methods=["GET", "POST"])
@limiter.limit(contact_limit, methods=["POST"], key_func=sender_key)
def contact():
    """Write to support. Guests give a name and the address to answer to; a member's
    answers go to their account."""
    form = ContactForm()
    member = current_user._get_current_object() if current_user.is_authenticated else None
    if member:
        del form.name, form.email
    if form.validate_on_submit():
        guest = {} if member else {"email": form.email.data, "name": form.name.data}
        ticket, created = services.open_ticket(
            member, form.subject.data, form.body.data, form_token=form.form_token.data, **guest
        )
        db.session.commit()
        if created:
            flash(_("Thank you. Your request is sent; we will answer here and by email."), "success")
        else:
            flash(_("This form was already sent; here is the result."), "info")
        return redirect(services.ticket_url_for_requester(ticket))
    return render_template("support/contact.html", form=form), 400 if form.errors else 200


@bp.route("/tickets")
@login_required
def tickets():
    """The member's requests, the latest activity first."""
    return render_template("support/tickets.html", tickets=services.tickets_of(current_user))


def own_ticket_or_404(ticket_id: int) -> SupportTicket:
    ticket = db.session.get(SupportTicket, ticket_id)
    if ticket is None or ticket.user_id != current_user.id:
        abort(404)
    return ticket


def guest_ticket_or_404(key: str) -> SupportTicket:
    if not 20 <= len(key) <= 64:
        abort(404)
    ticket = db.session.scalar(select(SupportTicket).where(SupportTicket.access_key == key))
    if ticket is None or ticket.user_id is not None:  # a member's ticket needs their sign-in
        abort(404)
    return ticket


@bp.route("/tickets/<int:ticket_id>", methods=["GET", "POST"])
@login_required
@limiter.limit("30 per hour", methods=["POST"], key_func=sender_key)
def ticket(ticket_id: int):
    """A member's ticket: the thread and a box to write more."""
    return thread_page(own_ticket_or_404(ticket_id))


@bp.route("/t/<key>", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"], key_func=sender_key)
def guest_ticket(key: str):
    """A guest's ticket at its secret link."""
    return thread_page(guest_ticket_or_404(key), guest=True)


def thread_page(ticket: SupportTicket, guest: bool = False):
    form = TicketMessageForm()
    if form.validate_on_submit():
        author = current_user._get_current_object() if current_user.is_authenticated and not guest else None
        if services.add_message(ticket, author, form.body.data, form.form_token.data):
            db.session.commit()
            flash(_("Your message is sent."), "success")
        return redirect(services.ticket_url_for_requester(ticket))
    return render_template(
        "support/ticket.html", ticket=ticket, form=form, status_form=StatusForm(), guest=guest
    ), 400 if form.errors else 200


@bp.route("/tickets/<int:ticket_id>/close", methods=["POST"])
@login_required
def close(ticket_id: int):
    return close_ticket(own_ticket_or_404(ticket_id))


@bp.route("/t/<key>/close", methods=["POST"])
def guest_close(key: str):
    return close_ticket(guest_ticket_or_404(key))


def close_ticket(ticket: SupportTicket):
    """The requester closes their ticket (writing again opens it)."""
    if not StatusForm().validate_on_submit():
        abort(400)
    services.set_status(ticket, "closed")
    db.session.commit()
    flash(_("The request is closed. Write again here if you need more help."), "info")
    return redirect(services.ticket_url_for_requester(ticket))
