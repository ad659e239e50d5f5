"""Notification forms: the per-kind settings and the CSRF-only mark-read forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField

from app.notifications.services import KIND_LABELS, KINDS


class MarkReadForm(FlaskForm):
    """No fields: the CSRF token is what it checks."""


def settings_form_class() -> type[FlaskForm]:
    """A form with `<kind>_enabled` and `<kind>_email` check boxes for every kind."""

    class NotificationSettingsForm(FlaskForm):
        submit = SubmitField(_l("Save settings"))

    for kind in KINDS:
        setattr(NotificationSettingsForm, f"{kind}_enabled", BooleanField(_l("Show on the site")))
        setattr(NotificationSettingsForm, f"{kind}_email", BooleanField(_l("Also by email")))
    NotificationSettingsForm.labels = KIND_LABELS
    return NotificationSettingsForm


NotificationSettingsForm = settings_form_class()
