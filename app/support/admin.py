"""The staff's support desk at /admin/support (moderators and admins; 403 for others, sign-in
first for visitors): tickets by status, a ticket's thread with the answer form, close and
reopen. Answers are written to the audit log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import inputs
from app.core.audit import log_action
from app.extensions import db
from app.models import TICKET_STATUSES, SupportTicket
from app.support import admin_bp as bp
from app.support import services
from app.support.forms import STATUS_LABELS, StaffAnswerForm, StatusForm


@bp.before_request
@login_required
def require_staff():
    if not current_user.is_moderator:
        abort(403)


@bp.context_processor
def labels():
    return {"status_labels": STATUS_LABELS}


@bp.route("/")
def index():
    """Tickets with one status (`?status=open` by default, `all` for every one), paged."""
    status = request.args.get("status", "open")
    status = status if status in (*TICKET_STATUSES, "all") else "open"
    pagination = services.staff_page(None if status == "all" else status, inputs.page_arg())
    return render_template(
        "support/admin_index.html", pagination=pagination, status=status, counts=services.status_counts()
    )


def ticket_or_404(ticket_id: int) -> SupportTicket:
    ticket = db.session.get(SupportTicket, ticket_id)
    if ticket is None:
        abort(404)
    return ticket


@bp.route("/<int:ticket_id>", methods=["GET", "POST"])
def ticket(ticket_id: int):
    """The thread and the answer form; the answer is mailed to the requester."""
    ticket = ticket_or_404(ticket_id)
    form = StaffAnswerForm()
    if form.validate_on_submit():
        if services.answer(
            ticket, current_user, form.body.data, close=form.close.data, form_token=form.form_token.data
        ):
            log_action(current_user, "support_answer", "ticket", ticket.id, ticket.subject)
            db.session.commit()
            flash(_("Your answer is sent."), "success")
        return redirect(url_for("support_admin.ticket", ticket_id=ticket.id))
    return render_template(
        "support/admin_ticket.html", ticket=ticket, form=form, status_form=StatusForm()
    ), 400 if form.errors else 200


@bp.route("/<int:ticket_id>/status", methods=["POST"])
def change_status(ticket_id: int):
    """Close a ticket or open it again (`status=closed|open`)."""
    ticket = ticket_or_404(ticket_id)
    status = request.form.get("status")
    if not StatusForm().validate_on_submit() or status not in ("open", "closed"):
        abort(400)
    services.set_status(ticket, status)
    log_action(
        current_user, f"support_{'close' if status == 'closed' else 'reopen'}", "ticket", ticket.id, ticket.subject
    )
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("support_admin.ticket", ticket_id=ticket.id))
