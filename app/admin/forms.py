"""Moderation forms: the public report form and the moderators' action forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length


def strip(value):
    return value.strip() if isinstance(value, str) else value


class ReportForm(FlaskForm):
    reason = TextAreaField(
        _l("What is wrong with it?"),
        validators=[DataRequired(message=_l("Tell the moderators what is wrong.")), Length(max=2000)],
        filters=[strip],
        description=_l("Spam, fraud, insults, a wrong price… Moderators see your report, the author does not."),
        render_kw={"rows": 4, "maxlength": 2000},
    )
    submit = SubmitField(_l("Send report"))
