"""Moderation forms: the public report form and the moderators' action forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length

from app.edits import FormTokenField


def strip(value):
    return value.strip() if isinstance(value, str) else value


# The report reasons (app.models.REPORT_REASONS) as people read them, in that order.
REASON_LABELS = {
    "spam": _l("Spam or advertising"),
    "fraud": _l("Fraud"),
    "wrong_info": _l("Wrong information"),
    "offensive": _l("Offensive"),
    "sold": _l("Already sold"),
    "other": _l("Other"),
}


class ReportForm(FlaskForm):
    """A reason from the list and, optionally, the reporter's words (needed for "other":
    moderators cannot act on "other" alone). "Already sold" is offered for listings only."""

    form_token = FormTokenField()
    category = RadioField(
        _l("What is wrong with it?"),
        choices=list(REASON_LABELS.items()),
        validators=[InputRequired(message=_l("Choose a reason."))],
    )
    reason = TextAreaField(
        _l("Details (optional)"),
        validators=[Length(max=2000)],
        filters=[strip],
        description=_l("Moderators see your report, the author does not."),
        render_kw={"rows": 3, "maxlength": 2000},
    )
    submit = SubmitField(_l("Send report"))

    def __init__(self, *args, target_type: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if target_type != "listing":
            self.category.choices = [(key, label) for key, label in REASON_LABELS.items() if key != "sold"]

    def validate_reason(self, field) -> None:
        if self.category.data == "other" and not field.data:
            raise ValidationError(_l("Tell the moderators what is wrong."))


class ActionForm(FlaskForm):
    """A button that changes something: the CSRF token is all it carries."""


class WarnForm(FlaskForm):
    form_token = FormTokenField()  # one warning per submitted form
    message = TextAreaField(
        _l("Message to the author"),
        validators=[DataRequired(message=_l("Write what the author should change.")), Length(max=1000)],
        filters=[strip],
        render_kw={"rows": 4, "maxlength": 1000},
    )
    submit = SubmitField(_l("Send warning"))


class BanForm(FlaskForm):
    form_token = FormTokenField()  # one ban (and audit entry) per submitted form
    duration = SelectField(
        _l("Ban for"),
        choices=[
            ("1", _l("1 day")),
            ("7", _l("7 days")),
            ("30", _l("30 days")),
            ("365", _l("1 year")),
            ("forever", _l("For good")),
        ],
        default="7",
    )
    reason = StringField(
        _l("Reason (the user sees it)"),
        validators=[DataRequired(message=_l("Give a reason; the user will see it.")), Length(max=500)],
        filters=[strip],
    )
    submit = SubmitField(_l("Ban"))


# The roles as people read them, in the page's language.
ROLE_LABELS = {
    "user": _l("User"),
    "dealer": _l("Dealer"),
    "moderator": _l("Moderator"),
    "admin": _l("Administrator"),
}


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=list(ROLE_LABELS.items()))
    submit = SubmitField(_l("Change role"))


class PageForm(FlaskForm):
    form_token = FormTokenField()  # the first save creates the page: one per submitted form
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)], filters=[strip])
    body_markdown = TextAreaField(
        _l("Text (markdown)"),
        validators=[Length(max=50000)],
        render_kw={"rows": 18},
        description=_l("Markdown: **bold**, *italic*, [link](https://…), lists with - or 1."),
    )
    submit = SubmitField(_l("Save page"))
