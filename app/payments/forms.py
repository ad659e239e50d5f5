"""Payment forms: the promo code box, the buttons (CSRF only) and the admin's promo code form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from app.edits import FormTokenField
from app.inputs import parse_int
from app.models.payment import MAX_AMOUNT
from app.payments.money import tenge
from app.payments.promos import CODE

# The largest fixed discount an admin may type, in tenge.
MAX_DISCOUNT_TENGE = MAX_AMOUNT // 100


def strip(value):
    return value.strip() if isinstance(value, str) else value


class ActionForm(FlaskForm):
    """A button that changes something: the CSRF token is all it carries."""


class PromoForm(FlaskForm):
    code = StringField(
        _l("Promo code"),
        validators=[DataRequired(_l("Enter the promo code.")), Length(max=32)],
        filters=[strip],
        render_kw={"maxlength": 32, "autocomplete": "off", "autocapitalize": "characters"},
    )
    submit = SubmitField(_l("Apply"))


class WholeNumberField(StringField):
    """A whole number typed in ASCII digits (no signs, no "²", at most 18 digits): `.number`
    is the value or None."""

    @property
    def number(self) -> int | None:
        return parse_int(self.data, minimum=0, maximum=10**18)


def number_between(low: int, high: int, message):
    def check(form, field):
        if field.data and (field.number is None or not low <= field.number <= high):
            raise ValidationError(message)

    return check


class PromoCodeForm(FlaskForm):
    """An admin's new promo code."""

    form_token = FormTokenField()
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(_l("Enter the code.")),
            Length(max=32),
            Regexp(CODE.pattern + r"\Z", message=_l("3 to 32 Latin capital letters, digits, - and _.")),
        ],
        filters=[strip, lambda value: value.upper() if isinstance(value, str) else value],
        render_kw={"maxlength": 32, "autocomplete": "off"},
    )
    kind = SelectField(_l("Discount"), choices=[("percent", _l("Percent")), ("fixed", _l("Fixed amount, ₸"))])
    value = WholeNumberField(
        _l("Size of the discount"),
        validators=[DataRequired(_l("Enter the size of the discount.")),
                    number_between(1, MAX_DISCOUNT_TENGE, _l("Enter a whole number above zero."))],
        render_kw={"inputmode": "numeric", "maxlength": 18},
    )  # fmt: skip
    starts_on = DateField(_l("Valid from"), validators=[Optional()])
    ends_on = DateField(_l("Valid until"), validators=[Optional()])
    max_uses = WholeNumberField(
        _l("Uses in all"),
        validators=[number_between(1, 1_000_000_000, _l("Enter a whole number above zero, or leave it empty."))],
        description=_l("Empty: no limit. Every member may use a code once."),
        render_kw={"inputmode": "numeric", "maxlength": 18},
    )
    submit = SubmitField(_l("Create promo code"))

    def validate_value(self, field):
        if self.kind.data == "percent" and field.number is not None and field.number > 100:
            raise ValidationError(_l("A percentage is at most 100."))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end date is before the start date."))

    def promo_fields(self) -> dict:
        """The code's columns: a fixed discount is typed in tenge and stored in tiyn."""
        value = self.value.number or 0  # validated: a whole number above zero
        return {
            "code": self.code.data,
            "kind": self.kind.data,
            "value": value if self.kind.data == "percent" else tenge(value),
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
            "max_uses": self.max_uses.number if self.max_uses.data else None,
        }
