"""Account pages. Routes validate, call a service, commit, then redirect."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import abort, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import bp, services
from app.auth.forms import ChangePasswordForm, LoginForm, RegisterForm, ResetPasswordForm, ResetRequestForm
from app.auth.session import banned_user_for
from app.auth.throttle import SignInLimits, remember_device
from app.core.errors import render_error
from app.core.realtime import disconnect_user
from app.extensions import db, limiter
from app.i18n.formats import format_datetime


def safe_next(target: str | None) -> str | None:
    """`next` only to a path on this site: no scheme, no host, no `//` or `\\` tricks."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return None
    return target


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register():
    """Create an account and sign the new member in; a banner on every page asks them to
    confirm the address. An email that already has an account gets a mail instead, and the
    visitor is told a message was sent, as in the first case, and sent to the sign-in page."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        if services.username_taken(form.username.data):
            form.username.errors.append(_("This username is taken."))
        elif lookalike := services.lookalike_of(form.username.data):
            form.username.errors.append(
                _("This username looks too much like @%(name)s. Choose another one.", name=lookalike)
            )
        else:
            user = services.register(form.username.data, form.email.data, form.password.data)
            db.session.commit()
            if user is None:
                flash(_("We have sent a message to %(email)s.", email=form.email.data), "info")
                return redirect(url_for("auth.login"))
            session.clear()
            login_user(user)
            flash(_("Welcome to Garage, %(name)s!", name=user.name), "success")
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in by username or email. Banned users are told why and until when.

    Refuses with a 429 page (and does not check the password) while a sign-in limit of
    app/auth/throttle.py holds: per address, per account and address, per account for
    browsers that never signed in to it."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.find_by_login(form.login.data)
        limits = SignInLimits.for_request(user, form.login.data)
        if wait := limits.wait_seconds():
            return too_many_sign_ins(wait)
        if not services.password_matches(user, form.password.data):
            limits.failed()
            form.password.errors.append(_("Wrong username or password."))
        elif user.is_banned:
            limits.succeeded()
            form.login.errors.append(ban_message(user))
        else:
            limits.succeeded()
            session.clear()  # a fresh session: nothing carried over from before sign-in
            login_user(user, remember=form.remember.data)
            flash(_("Welcome back, %(name)s!", name=user.name), "success")
            response = redirect(safe_next(request.args.get("next")) or url_for("main.index"))
            remember_device(response, limits.account)
            return response
    return render_template("auth/login.html", form=form)


def too_many_sign_ins(wait: int):
    """The 429 page saying when the next try is possible (and Retry-After for machines)."""
    when = format_timedelta(timedelta(seconds=wait), add_direction=True, threshold=0.9)
    response = make_response(render_error(429, _("Too many failed sign-ins. Try again %(when)s.", when=when)))
    response.headers["Retry-After"] = str(wait)
    return response


@bp.before_app_request
def notice_ban():
    """A session whose user was banned since: end it and say why and until when.

    The user loader already refuses banned users, so they cannot post, list or chat from
    the moment of the ban; this makes the next page explain it instead of just looking
    signed out."""
    token = session.get("_user_id")
    if not token or request.endpoint == "static" or current_user.is_authenticated:
        return
    user = banned_user_for(token)
    if user is not None:
        logout_user()
        flash(ban_message(user), "danger")


def ban_message(user) -> str:
    if user.banned_until.year >= 9999:
        until = _("for good")
    else:
        until = _("until %(when)s", when=format_datetime(user.banned_until))
    reason = user.ban_reason or _("no reason given")
    return _("This account is banned %(until)s. Reason: %(reason)s", until=until, reason=reason)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out everywhere: the session version moves on, so old cookies stop working."""
    user = current_user._get_current_object()
    user.end_all_sessions()
    db.session.commit()
    logout_user()
    session.clear()
    disconnect_user(user.id)
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password; other sessions and remember-me cookies end, this one is renewed."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not user.check_password(form.current.data):
            form.current.errors.append(_("The current password is wrong."))
        else:
            services.change_password(user, form.password.data)
            db.session.commit()
            disconnect_user(user.id)
            session.clear()
            login_user(user)
            flash(_("Your password is changed. Other sessions have been signed out."), "success")
            return redirect(url_for("profile.settings"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def reset_request():
    """Ask for a reset link. The answer never says whether the address has an account."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.send_password_reset(form.email.data)
        db.session.commit()  # the mail is a job, queued by the commit
        flash(
            _("If an account uses %(email)s, we have sent it a link to reset the password.", email=form.email.data),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password through a signed, expiring, single-use link. The browser that
    used it becomes a known device of the account (no per-account sign-in limit holds it)."""
    user = services.user_for_reset_token(token)
    if user is None:
        flash(_("This reset link is invalid, used or expired. Ask for a new one."), "danger")
        return redirect(url_for("auth.reset_request"))
    form = ResetPasswordForm(user)
    if form.validate_on_submit():
        services.change_password(user, form.password.data)
        db.session.commit()
        disconnect_user(user.id)
        flash(_("Your password is set. Sign in with it now."), "success")
        # The owner proved the mailbox: this browser and address are theirs, whatever
        # strangers did to the account's sign-in limits.
        limits = SignInLimits.for_request(user, user.username)
        limits.succeeded()
        response = redirect(url_for("auth.login"))
        remember_device(response, limits.account)
        return response
    return render_template("auth/reset_password.html", form=form)


@bp.route("/confirm/<token>")
def confirm(token: str):
    """Confirm the email address from the link in the welcome mail."""
    user = services.confirm_email(token)
    if user is None:
        abort(404)
    db.session.commit()
    flash(_("Thank you, your email address is confirmed."), "success")
    return redirect(url_for("main.index"))


@bp.route("/confirm", methods=["POST"])
@login_required
@limiter.limit("5 per hour")
def resend_confirmation():
    """Send the confirmation mail again (5 an hour) and go back to the page it was asked from."""
    if current_user.email_confirmed_at is None:
        services.send_confirmation(current_user)
        db.session.commit()  # the mail is a job, queued by the commit
        flash(_("We have sent the confirmation link again to %(email)s.", email=current_user.email), "info")
    return redirect(safe_next(request.form.get("next")) or url_for("profile.settings"))
