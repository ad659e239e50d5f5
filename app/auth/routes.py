"""Account pages. Routes validate, call a service, commit, then redirect."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import bp, services
from app.auth.forms import ChangePasswordForm, LoginForm, RegisterForm, ResetPasswordForm, ResetRequestForm
from app.auth.session import banned_user_for
from app.chat.presence import disconnect_user
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


def login_attempt_key() -> str:
    """Rate-limit key per account: whatever name or email the visitor typed."""
    return "login:" + (request.form.get("login") or "").strip().casefold()[:254]


def login_failed(response) -> bool:
    # A successful sign-in redirects; only failures use up the allowance.
    return response.status_code != 302


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


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
@limiter.limit(login_limit, methods=["POST"], deduct_when=login_failed)
@limiter.limit(login_limit, methods=["POST"], key_func=login_attempt_key, deduct_when=login_failed)
def login():
    """Sign in by username or email. Banned users are told why and until when."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.find_by_login(form.login.data)
        if user is None or not user.check_password(form.password.data):
            form.password.errors.append(_("Wrong username or password."))
        elif user.is_banned:
            form.login.errors.append(ban_message(user))
        else:
            session.clear()  # a fresh session: nothing carried over from before sign-in
            login_user(user, remember=form.remember.data)
            flash(_("Welcome back, %(name)s!", name=user.name), "success")
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    return render_template("auth/login.html", form=form)


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
        flash(
            _("If an account uses %(email)s, we have sent it a link to reset the password.", email=form.email.data),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password through a signed, expiring, single-use link."""
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
        return redirect(url_for("auth.login"))
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
        flash(_("We have sent the confirmation link again to %(email)s.", email=current_user.email), "info")
    return redirect(safe_next(request.form.get("next")) or url_for("profile.settings"))
