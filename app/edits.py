"""Double submits and lost edits.

Creations (a listing, a topic, a reply, a review, a report, a saved search, a moderator's
warning or ban, a forum category, a static page) carry a one-time token in a hidden field
(`FormTokenField`); a form posted without one - a script, a page kept open from before -
is refused with "The form has expired" and shown again with a fresh token, what was typed
kept. `claim_token()` records the token in `form_submissions` in the same transaction as
the new row; a second submit of the token - a double click, a resent form, two requests at
once - finds it taken (the primary key: the second INSERT waits for the first transaction
and then fails) and is sent to what the first one made.

Edits (a listing, a post, a profile) carry the version they were opened at
(`EditVersionField`). `claim_edit()` raises the row's version only if it is still the one
the form was opened at, in one UPDATE: a tab opened before someone else's save is told
"this changed since you opened it" with its text kept, and nothing is overwritten.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from flask import Response, abort, flash, redirect
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField
from wtforms.validators import InputRequired, Regexp

from app.core.time import utcnow
from app.extensions import db
from app.inputs import parse_int
from app.models import FormSubmission

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}\Z")  # \Z: WTForms Regexp anchors only the start
TOKEN_KEPT = timedelta(days=2)  # a member's older tokens are deleted as new ones come
EXPIRED_FORM = _l("The form has expired. Reload the page and try again.")
CHANGED_MEANWHILE = _l(
    "This changed since you opened it (in another tab or on another device). Your text is kept below: "
    "check it against the current version in a new tab, then save again to replace it."
)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class FormTokenField(HiddenField):
    """A hidden one-time token, required: a fresh one each time the empty form is shown, the
    posted one kept when a form refused for another reason is shown again. A missing or
    malformed token fails the form with EXPIRED_FORM (bootstrap-flask's render_form shows a
    hidden field's errors; hand-written forms use the `form_token` macro) and the form
    comes back with a fresh token, so sending it again works."""

    def __init__(self, **kwargs):
        validators = [InputRequired(message=EXPIRED_FORM), Regexp(TOKEN_PATTERN.pattern, message=EXPIRED_FORM)]
        super().__init__(validators=validators, default=new_token, **kwargs)

    def post_validate(self, form, validation_stopped) -> None:
        if self.errors:
            self.raw_data, self.data = [], new_token()


class EditVersionField(HiddenField):
    """The version of the row when the edit form was opened."""


def claim_token(token: str) -> Response | None:
    """Take `token` for the signed-in member within the current transaction. None: go on
    and create (then `record_result(token, url)` and commit). A response: the token was
    used already; the transaction is rolled back and the member is sent to what the
    first submit made. The form's FormTokenField has refused a missing token already."""
    if not token:
        abort(400, str(EXPIRED_FORM))
    submission = FormSubmission(token=token, user_id=current_user.id, created_at=utcnow())
    db.session.add(submission)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        earlier = db.session.get(FormSubmission, token)
        if earlier is None or earlier.user_id != current_user.id or not earlier.url:
            abort(400, str(EXPIRED_FORM))
        flash(_("This form was already sent; here is the result."), "info")
        return redirect(earlier.url)
    db.session.execute(
        delete(FormSubmission).where(
            FormSubmission.user_id == current_user.id, FormSubmission.created_at < utcnow() - TOKEN_KEPT
        )
    )
    return None


def record_result(token: str | None, url: str) -> None:
    """Where the creation made with `token` can be seen; committed with it."""
    submission = db.session.get(FormSubmission, token) if token else None
    if submission is not None:
        submission.url = url


def claim_edit(column, row_id: int, seen: str | None) -> bool:
    """Raise the version in `column` (e.g. Listing.edit_version) of row `row_id` if it still
    is `seen`; False when another save came first. A form without a version (a page from
    before versions existed) is not checked."""
    seen_version = parse_int(seen)
    if seen is None or seen == "":
        return True
    if seen_version is None:
        return False
    model = column.class_
    result = db.session.execute(
        update(model).where(model.id == row_id, column == seen_version).values({column.key: column + 1})
    )
    return result.rowcount == 1


def edit_conflict(form, column, row) -> bool:
    """True when `row` was saved by someone else since `form` was opened: the page then says
    so (a flashed warning; the caller answers 409) and the form keeps what was typed, with
    the current version, so saving it again replaces the newer text knowingly. False: the
    version is taken, go on and save."""
    field = form[column.key]  # the form's hidden field is named like the column
    if claim_edit(column, row.id, field.raw_data[0] if field.raw_data else None):
        return False
    db.session.refresh(row)
    field.data = str(getattr(row, column.key))
    field.errors = [str(CHANGED_MEANWHILE)]
    flash(str(CHANGED_MEANWHILE), "warning")
    return True


def conflicted(form) -> bool:
    """Whether `edit_conflict` refused this form."""
    return any(str(CHANGED_MEANWHILE) in field.errors for field in form)


def status_of(form) -> int:
    """The status of a re-shown form: 409 after an edit conflict, 400 for other errors."""
    if conflicted(form):
        return 409
    return 400 if form.errors else 200
