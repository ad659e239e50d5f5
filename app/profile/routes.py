"""Public profile pages and the settings page."""

from __future__ import annotations

import hashlib

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import escape
from sqlalchemy import select

from app import edits, media
from app.auth.validators import username_key
from app.extensions import db
from app.i18n.locale import current_language, remember_language_choice
from app.i18n.phone import format_phone
from app.media import ImageRejected
from app.models import User
from app.profile import bp, services
from app.profile.forms import AvatarForm, DealerForm, ProfileForm

AVATAR_COLOURS = ["#0d6efd", "#6610f2", "#d63384", "#dc3545", "#fd7e14", "#198754", "#20c997", "#0dcaf0", "#6f42c1"]


def get_user_or_404(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username_key == username_key(username)))
    if user is None:
        abort(404)
    return user


@bp.route("/u/<username>")
def show(username: str):
    """A member's public page."""
    user = get_user_or_404(username)
    if user.username != username:
        return redirect(url_for("profile.show", username=user.username), 301)
    return render_template("profile/show.html", user=user, stats=services.profile_stats(user))


@bp.route("/u/<username>/avatar.svg")
def default_avatar(username: str):
    """A generated avatar (initial on a colour picked from the name) for users without one."""
    user = get_user_or_404(username)
    initial = escape((user.name[:1] or "?").upper())
    colour = AVATAR_COLOURS[
        int(hashlib.sha1(user.username_key.encode(), usedforsecurity=False).hexdigest(), 16) % len(AVATAR_COLOURS)
    ]
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">'
        f'<rect width="256" height="256" fill="{colour}"/>'
        '<text x="50%" y="50%" dy=".35em" text-anchor="middle" font-family="sans-serif" '
        f'font-size="128" fill="#fff">{initial}</text></svg>'
    )
    return svg, 200, {"Content-Type": "image/svg+xml", "Cache-Control": "public, max-age=86400"}


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Edit one's own profile."""
    user = current_user._get_current_object()
    form = ProfileForm(obj=user)
    if not form.is_submitted():
        form.locale.data = current_language()  # what they read now, until they choose
        form.phone.data = format_phone(user.phone)
    if form.validate_on_submit() and not edits.edit_conflict(form, User.profile_version, user):
        services.update_profile(user, form.data)
        db.session.commit()
        remember_language_choice(user.locale)
        with force_locale(user.locale or current_language()):  # the next page is in the language chosen
            flash(_("Your profile is saved."), "success")
        return redirect(url_for("profile.settings"))
    return render_settings(form=form), 409 if edits.conflicted(form) else 200


@bp.route("/settings/avatar", methods=["POST"])
@login_required
@media.limit_photo_uploads
def upload_avatar():
    """Replace the avatar; bad files are refused with a message, the old avatar stays."""
    form = AvatarForm()
    if form.validate_on_submit():
        try:
            services.replace_avatar(current_user, form.avatar.data.stream)
        except ImageRejected as error:
            form.avatar.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Your new avatar is saved."), "success")
            return redirect(url_for("profile.settings"))
    return render_settings(avatar_form=form), 400


@bp.route("/settings/dealer", methods=["POST"])
@login_required
def dealer_settings():
    """Company details; dealers only."""
    if not current_user.is_dealer:
        abort(403)
    form = DealerForm()
    if form.validate_on_submit():
        db.session.add(services.update_dealer(current_user, form.data))
        db.session.commit()
        flash(_("Company details saved."), "success")
        return redirect(url_for("profile.settings"))
    return render_settings(dealer_form=form), 400


def render_settings(form=None, avatar_form=None, dealer_form=None):
    user = current_user
    dealer_form = dealer_form or (DealerForm(obj=user.dealer_profile) if user.is_dealer else None)
    return render_template(
        "profile/settings.html",
        form=form or ProfileForm(obj=user),
        avatar_form=avatar_form or AvatarForm(),
        dealer_form=dealer_form,
    )
