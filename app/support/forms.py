"""Support forms: the contact form (guests give the address to answer to; members' answers
go to their account's address), a message in a ticket's thread, the staff's answer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length

from app.edits import FormTokenField

MAX_BODY = 5000


def strip(value):
    return value.strip() if isinstance(value, str) else value


def body_field(label):
    return TextAreaField(
        label,
        validators=[
            DataRequired(_l("Write your message.")),
            Length(max=MAX_BODY, message=_l("At most 5,000 characters.")),
        ],
        filters=[strip],
        render_kw={"rows": 6, "maxlength": MAX_BODY},
    )


class ContactForm(FlaskForm):
    """A new request to support. `name` and `email` are asked of guests only (the route
    removes them for members)."""

    form_token = FormTokenField()
    name = StringField(
        _l("Your name"), validators=[DataRequired(_l("Tell us your name.")), Length(max=80)], filters=[strip]
    )
    email = EmailField(
        _l("Email for our answer"),
        validators=[
            DataRequired(_l("Enter the address we should answer to.")),
            Email(message=_l("Enter a valid email address.")),
            Length(max=254),
        ],
        filters=[strip],
    )
    subject = StringField(
        _l("Subject"), validators=[DataRequired(_l("Give your request a subject.")), Length(max=150)], filters=[strip]
    )
    body = body_field(_l("Your message"))
    submit = SubmitField(_l("Send to support"))


class TicketMessageForm(FlaskForm):
    """One more message in a ticket's thread, from the requester."""

    form_token = FormTokenField()
    body = body_field(_l("Your message"))
    submit = SubmitField(_l("Send"))


class StaffAnswerForm(FlaskForm):
    """The staff's answer; it is mailed to the requester."""

    form_token = FormTokenField()
    body = body_field(_l("Answer"))
    close = BooleanField(_l("Close the request after answering"))
    submit = SubmitField(_l("Send answer"))


class StatusForm(FlaskForm):
    """Close or reopen: the CSRF token is all it carries."""


# The ticket statuses (app.models.TICKET_STATUSES) as people read them.
STATUS_LABELS = {"open": _l("Waiting for an answer"), "answered": _l("Answered"), "closed": _l("Closed")}
