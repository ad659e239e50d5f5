"""Kazakh phone numbers: typed any usual way, stored as E.164, shown "+7 701 123 45 67".

Validation and parsing are libphonenumber's (the `phonenumbers` package): "8 701 123 45 67",
"+7 (701) 123-45-67", "7011234567" all become "+77011234567". Only numbers of Kazakhstan
(mobile or landline) are accepted: Russia shares the +7 code, but this is a Kazakh site.
"""

from __future__ import annotations

import phonenumbers
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

REGION = "KZ"
MAX_INPUT = 40  # longer input is not a phone number; libphonenumber refuses past 250 anyway
ALLOWED_INPUT = set("+0123456789 ()-.")


def parse_phone(raw: str) -> phonenumbers.PhoneNumber | None:
    """The Kazakh number in `raw`, or None when it is not one."""
    text = (raw or "").strip()
    if not text or len(text) > MAX_INPUT or not set(text) <= ALLOWED_INPUT:
        return None
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number) or phonenumbers.region_code_for_number(number) != REGION:
        return None
    return number


def normalize_phone(raw: str) -> str | None:
    """The E.164 form ("+77011234567") of a Kazakh number, or None when it is not one."""
    number = parse_phone(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) if number else None


def format_phone(value: str | None) -> str:
    """ "+7 701 123 45 67" for a mobile, "+7 7172 55 00 00" for a landline (its area code as
    dialled); anything else is shown as it was stored."""
    number = parse_phone(value or "")
    if number is None:
        return value or ""
    if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE:
        digits = str(number.national_number)
        return f"+7 {digits[:3]} {digits[3:6]} {digits[6:8]} {digits[8:]}"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL).replace("-", " ")


class KazakhPhone:
    """WTForms validator: a Kazakh mobile or landline number; the field's data becomes E.164."""

    def __init__(self, message: str | None = None):
        self.message = message

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        e164 = normalize_phone(field.data)
        if e164 is None:
            raise ValidationError(self.message or _l("Enter a Kazakhstan phone number, for example +7 701 123 45 67."))
        field.data = e164
