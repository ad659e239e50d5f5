"""Notification pages: the list, marking read, and per-kind settings.

Everything here is the signed-in user's own: another user's notification is a 404.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import inputs
from app.extensions import db
from app.notifications import bp, services
from app.notifications.forms import MarkReadForm, NotificationSettingsForm


@bp.route("/")
@login_required
def index():
    """The signed-in user's notifications, newest first, 20 a page."""
    pagination = services.page_of(current_user.id, inputs.page_arg())
    items = [(n, services.describe(n.kind, n.payload)) for n in pagination.items]
    return render_template(
        "notifications/index.html",
        pagination=pagination,
        items=items,
        form=MarkReadForm(),
        unread=services.unread_count(current_user.id),
    )


@bp.route("/<int:notification_id>/read", methods=["POST"])
@login_required
def mark_read(notification_id: int):
    """Mark one of one's own notifications read, then open its link (or go back to the
    list). Another user's notification, or one that does not exist, is a 404."""
    if not MarkReadForm().validate_on_submit():
        abort(400)
    notification = services.mark_read(current_user.id, notification_id)
    if notification is None:
        abort(404)
    db.session.commit()
    services.push_unread(current_user.id)
    target = services.describe(notification.kind, notification.payload)["url"]
    if request.form.get("open") and target:
        return redirect(target)
    return redirect(request.referrer if is_own_list(request.referrer) else url_for("notifications.index"))


@bp.route("/read-all", methods=["POST"])
@login_required
def mark_all_read():
    """Mark all of one's notifications read and push the new count (0) to every open page."""
    if not MarkReadForm().validate_on_submit():
        abort(400)
    count = services.mark_all_read(current_user.id)
    db.session.commit()
    services.push_unread(current_user.id)
    if count:
        flash(_("All notifications are marked read."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Switch each kind of notification off or on, and choose which come by email."""
    current = services.settings_for(current_user.id)
    form = NotificationSettingsForm()
    if request.method == "GET":
        for kind, setting in current.items():
            getattr(form, f"{kind}_enabled").data = setting.enabled
            getattr(form, f"{kind}_email").data = setting.email
    if form.validate_on_submit():
        choices = {
            kind: (bool(getattr(form, f"{kind}_enabled").data), bool(getattr(form, f"{kind}_email").data))
            for kind in services.KINDS
        }
        services.save_settings(current_user.id, choices)
        db.session.commit()
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form, kinds=services.KINDS, labels=services.KIND_LABELS)


def is_own_list(referrer: str | None) -> bool:
    return bool(referrer) and referrer.startswith(request.host_url.rstrip("/") + url_for("notifications.index"))
