"""Administration pages under /admin.

Every route here needs a moderator or an admin (403 for everyone else, sign-in first for
visitors); routes marked `admin_required` refuse moderators with 403 too. Every change is
written to the audit log by the service that makes it.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import edits, inputs
from app.admin import bp, services
from app.admin.forms import REASON_LABELS, ROLE_LABELS, ActionForm, BanForm, PageForm, RoleForm, WarnForm
from app.auth.decorators import admin_required
from app.core.moderation import targets
from app.extensions import db
from app.main.pages import SLUG, STATIC_PAGES
from app.models import DealerProfile, Page, User


@bp.before_request
@login_required
def require_moderator():
    """Moderators and admins only; everyone else gets 403."""
    if not current_user.is_moderator:
        abort(403)


def checked_action_form() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


def get_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.context_processor
def admin_context():
    return {"forum_categories_url": url_for("forum.admin_categories"), "open_reports": services.open_report_count()}


# --- the moderation queue ----------------------------------------------------------------


@bp.route("/")
def index():
    """The moderation queue: open reports grouped by what they are about, in context, in
    sections by reason. `?reason=fraud` keeps one reason (an unknown one is ignored);
    `?status=closed` lists recently resolved ones (to restore removed content)."""
    status = "closed" if request.args.get("status") == "closed" else "open"
    reason = request.args.get("reason")
    reason = reason if reason in REASON_LABELS else None
    items = services.queue(status, reason=reason)
    return render_template(
        "admin/index.html",
        sections=services.by_main_reason(items) if status == "open" and reason is None else [(reason, items)],
        item_count=len(items),
        status=status,
        reason=reason,
        reasons=services.open_reasons() if status == "open" else {},
        reason_labels=REASON_LABELS,
        form=ActionForm(),
    )


def target_or_404(target_type: str, target_id: int):
    found = services.load_target(target_type, target_id)
    if found is None:
        abort(404)
    return found


@bp.route("/reports/<target_type>/<int:target_id>/dismiss", methods=["POST"])
def dismiss(target_type: str, target_id: int):
    """Close every open report on this thing without acting on it."""
    checked_action_form()
    if target_type not in targets():
        abort(404)
    count = services.dismiss(current_user, target_type, target_id)
    db.session.commit()
    flash(ngettext("%(num)d report dismissed.", "%(num)d reports dismissed.", count), "info")
    return redirect(url_for("admin.index"))


@bp.route("/content/<target_type>/<int:target_id>/remove", methods=["POST"])
def remove(target_type: str, target_id: int):
    """Hide a listing, post, message (or ban a user for good) and close its reports."""
    checked_action_form()
    target, obj = target_or_404(target_type, target_id)
    if target_type == "user" and not services.can_ban(current_user, obj):
        abort(403)
    services.remove_content(current_user, target_type, target_id)
    db.session.commit()
    flash(_("Removed: %(title)s", title=target.title(obj)), "success")
    return redirect(url_for("admin.index"))


@bp.route("/content/<target_type>/<int:target_id>/restore", methods=["POST"])
def restore(target_type: str, target_id: int):
    """Bring removed content back."""
    checked_action_form()
    target, obj = target_or_404(target_type, target_id)
    if target_type == "user" and not services.can_ban(current_user, obj):
        abort(403)
    services.restore_content(current_user, target_type, target_id)
    db.session.commit()
    flash(_("Restored: %(title)s", title=target.title(obj)), "success")
    return redirect(url_for("admin.index", status="closed"))


@bp.route("/content/<target_type>/<int:target_id>/warn", methods=["GET", "POST"])
def warn(target_type: str, target_id: int):
    """Warn the author of reported content: a notification they cannot switch off."""
    target, obj = target_or_404(target_type, target_id)
    author = db.session.get(User, target.author_id(obj) or 0)
    if author is None:
        abort(404)
    form = WarnForm()
    if form.validate_on_submit():
        if (repeat := edits.claim_token(form.form_token.data)) is not None:
            return repeat
        services.warn(current_user, author, form.message.data, target_type, target_id)
        edits.record_result(form.form_token.data, url_for("admin.index"))
        db.session.commit()
        flash(_("%(name)s has been warned.", name=author.username), "success")
        return redirect(url_for("admin.index"))
    return render_template("admin/warn.html", form=form, author=author, title=target.title(obj), url=target.url(obj))


# --- bans ----------------------------------------------------------------------------------


@bp.route("/users/<int:user_id>/ban", methods=["GET", "POST"])
def ban(user_id: int):
    """Ban a user for a period or for good; their pages and sockets stop at once.
    Moderators cannot ban moderators; nobody bans an admin or themselves (403)."""
    user = get_user_or_404(user_id)
    if not services.can_ban(current_user, user):
        abort(403)
    form = BanForm()
    if form.validate_on_submit():
        if (repeat := edits.claim_token(form.form_token.data)) is not None:
            return repeat
        services.ban(current_user, user, form.duration.data, form.reason.data)
        report_type, report_id = request.args.get("report_type", ""), inputs.int_arg("report_id")
        if report_type in targets() and report_id:
            services.resolve_reports(current_user, report_type, report_id, "actioned")
        services.resolve_reports(current_user, "user", user.id, "actioned")
        edits.record_result(form.form_token.data, url_for("admin.bans"))
        db.session.commit()
        flash(_("%(name)s is banned.", name=user.username), "success")
        return redirect(url_for("admin.bans"))
    return render_template("admin/ban.html", form=form, user=user)


@bp.route("/users/<int:user_id>/unban", methods=["POST"])
def unban(user_id: int):
    """Lift a ban."""
    checked_action_form()
    user = get_user_or_404(user_id)
    if not services.can_ban(current_user, user):
        abort(403)
    services.unban(current_user, user)
    db.session.commit()
    flash(_("%(name)s can sign in again.", name=user.username), "success")
    return redirect(url_for("admin.bans"))


@bp.route("/bans")
def bans():
    """Users banned now, with when their bans end."""
    return render_template("admin/bans.html", users=services.banned_users(), form=ActionForm())


# --- users and roles (admins) ---------------------------------------------------------------


@bp.route("/users")
@admin_required
def users():
    """Find users by name or email, to change their role (admins only)."""
    query = request.args.get("q", "").strip()
    return render_template(
        "admin/users.html",
        users=services.search_users(query),
        q=query,
        roles=services.ROLES,
        role_labels=ROLE_LABELS,
        form=ActionForm(),
    )


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@admin_required
def change_role(user_id: int):
    """Change a user's role (admins only; not one's own)."""
    user = get_user_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    if not services.set_role(current_user, user, form.role.data):
        flash(_("You cannot change your own role."), "warning")
    else:
        db.session.commit()
        flash(_("%(name)s is now %(role)s.", name=user.username, role=ROLE_LABELS.get(user.role, user.role)), "success")
    return redirect(url_for("admin.users", q=request.args.get("q", "")))


# --- dealers --------------------------------------------------------------------------------


@bp.route("/dealers")
def dealers():
    """Dealer companies, unverified first, with a verify / withdraw button."""
    return render_template("admin/dealers.html", profiles=services.dealers(), form=ActionForm())


@bp.route("/dealers/<int:user_id>/verify", methods=["POST"])
def verify_dealer(user_id: int):
    """Mark a dealer as verified (`verified=0` withdraws it)."""
    checked_action_form()
    profile = db.session.get(DealerProfile, user_id)
    if profile is None:
        abort(404)
    verified = request.form.get("verified", "1") == "1"
    services.set_dealer_verified(current_user, profile, verified)
    db.session.commit()
    flash(_("Saved: %(name)s", name=profile.company_name or profile.user.username), "success")
    return redirect(url_for("admin.dealers"))


# --- audit log and static pages (admins) ----------------------------------------------------


@bp.route("/audit")
@admin_required
def audit():
    """Every moderator and admin action, newest first (admins only)."""
    return render_template("admin/audit.html", pagination=services.audit_page(inputs.page_arg()))


@bp.route("/pages")
@admin_required
def pages():
    """The static pages in each language, to edit (admins only)."""
    stored = {(page.slug, page.locale): page for page in db.session.scalars(select(Page))}
    return render_template(
        "admin/pages.html", pages=stored, static_pages=STATIC_PAGES, languages=current_app.config["LANGUAGES"]
    )


@bp.route("/pages/<slug>", methods=["GET", "POST"])
@bp.route("/pages/<slug>/<locale>", methods=["GET", "POST"])
@admin_required
def edit_page(slug: str, locale: str | None = None):
    """Edit one static page's markdown in one language (admins only; the page's language by
    default); a slug from STATIC_PAGES in a site language creates it; anything else is 404."""
    locale = locale or str(get_locale())
    if locale not in current_app.config["LANGUAGES"] or not SLUG.fullmatch(slug):
        abort(404)
    page = db.session.scalar(select(Page).where(Page.slug == slug, Page.locale == locale))
    if page is None:
        if slug not in STATIC_PAGES:
            abort(404)
        with force_locale(locale):
            page = Page(slug=slug, locale=locale, title=str(STATIC_PAGES[slug]), body_markdown="")
    form = PageForm(obj=page)
    if form.validate_on_submit():
        if (repeat := edits.claim_token(form.form_token.data)) is not None:
            return repeat
        services.save_page(current_user, page, form.title.data, form.body_markdown.data or "")
        shown = url_for("admin.pages") if locale != str(get_locale()) else url_for("main.page", slug=slug)
        edits.record_result(form.form_token.data, shown)
        db.session.commit()
        flash(_("The page is saved."), "success")
        return redirect(shown)
    return render_template("admin/edit_page.html", form=form, page=page)
