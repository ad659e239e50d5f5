"""The report form: any signed-in user may report a listing, post, message, review or user,
choosing a reason from a list (app/admin/forms.py REASON_LABELS) and adding words if they like.

Kinds of content come from the moderation target registry (`app.core.moderation.targets()`);
an unknown kind or a missing object is a 404. A second report by the same person on the
same thing merges into the first (see `services.file_report`).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import edits
from app.admin import reports_bp as bp
from app.admin import services
from app.admin.forms import ReportForm
from app.core.moderation import targets
from app.extensions import db, limiter


@bp.route("/<target_type>/<int:target_id>", methods=["GET", "POST"])
@login_required
@limiter.limit("30 per hour", methods=["POST"])
def new(target_type: str, target_id: int):
    """Show and accept the report form. Refuses anonymous visitors (to sign-in), unknown
    kinds and missing targets (404) and reporting oneself (a message on the form)."""
    target = targets().get(target_type)
    if target is None:
        abort(404)
    obj = target.load(target_id)
    if obj is None:
        abort(404)
    back = target.url(obj) or url_for("main.index")
    form = ReportForm(target_type=target_type)
    own = target.author_id(obj) == current_user.id
    if own:
        form.category.errors = [_("You cannot report your own content.")]
    elif form.validate_on_submit():
        if (repeat := edits.claim_token(form.form_token.data)) is not None:
            return repeat
        services.file_report(current_user, target_type, target_id, form.reason.data, form.category.data)
        edits.record_result(form.form_token.data, back)
        db.session.commit()
        flash(_("Thank you. Moderators will look at your report."), "success")
        return redirect(back)
    return render_template(
        "admin/report_form.html", form=form, target_type=target_type, title=target.title(obj), back=back, own=own
    )
