"""Profile and dealer settings forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TelField,
    TextAreaField,
    URLField,
    ValidationError,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional

from app.auth.validators import display_name_problem
from app.edits import EditVersionField, FormTokenField
from app.i18n.locale import LANGUAGE_NAMES
from app.i18n.phone import KazakhPhone
from app.inputs import WebAddress

# "8 701 123 45 67", "+7 (701) 123-45-67"...: a Kazakh number, stored as +77011234567.
PHONE = KazakhPhone()
IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]


def strip(value):
    return value.strip() if isinstance(value, str) else value


def check_public_name(form, field) -> None:
    """No mixed alphabets in a word, no staff-like names (moderators and admins excepted)."""
    problem = display_name_problem(field.data or "", staff=current_user.is_moderator)
    if problem:
        raise ValidationError(problem)


class ProfileForm(FlaskForm):
    profile_version = EditVersionField()
    display_name = StringField(_l("Display name"), validators=[Length(max=60), check_public_name], filters=[strip])
    city = StringField(_l("City"), validators=[Length(max=80)], filters=[strip])
    about = TextAreaField(_l("About you"), validators=[Length(max=2000)], filters=[strip])
    phone = TelField(
        _l("Phone"), validators=[Optional(), PHONE], filters=[strip], render_kw={"placeholder": "+7 701 123 45 67"}
    )
    phone_visible = BooleanField(_l("Show my phone to signed-in users"))
    locale = SelectField(
        _l("Language of the site, e-mails and notifications"),
        choices=list(LANGUAGE_NAMES.items()),
        validate_choice=False,  # AnyOf below; not sent at all: the language stays as it is
        validators=[Optional(), AnyOf(list(LANGUAGE_NAMES))],
    )
    submit = SubmitField(_l("Save profile"))


class AvatarForm(FlaskForm):
    avatar = FileField(
        _l("New avatar"),
        validators=[
            FileRequired(_l("Choose a picture.")),
            FileAllowed(IMAGE_EXTENSIONS, _l("JPEG, PNG, WebP or GIF only.")),
        ],
    )
    upload = SubmitField(_l("Upload avatar"))


class DealerForm(FlaskForm):
    company_name = StringField(_l("Company name"), validators=[Length(max=120), check_public_name], filters=[strip])
    address = StringField(_l("Address"), validators=[Length(max=200)], filters=[strip])
    phone = TelField(
        _l("Company phone"),
        validators=[Optional(), PHONE],
        filters=[strip],
        render_kw={"placeholder": "+7 701 123 45 67"},
    )
    website = URLField(
        _l("Website"),
        validators=[Optional(), WebAddress(_l("Enter a full address, like https://example.kz")), Length(max=200)],
        filters=[strip],
    )
    hours = StringField(_l("Opening hours"), validators=[Length(max=200)], filters=[strip])
    save_dealer = SubmitField(_l("Save company details"))


class ReviewForm(FlaskForm):
    """A buyer's review of a seller about one of their cars: which car, 1–5 stars and a
    text. The cars offered are the ones the buyer may review (`reviews.reviewable_listings`);
    any other id is refused as "not a valid choice"."""

    form_token = FormTokenField()

    listing_id = SelectField(_l("Which car"), coerce=int, validators=[InputRequired(_l("Choose the car."))])
    rating = RadioField(
        _l("Rating"),
        choices=[(5, "★★★★★"), (4, "★★★★"), (3, "★★★"), (2, "★★"), (1, "★")],
        coerce=int,
        validators=[InputRequired(_l("Choose from 1 to 5 stars."))],
    )
    text = TextAreaField(
        _l("Your review"),
        validators=[DataRequired(_l("Write a few words.")), Length(max=2000, message=_l("At most 2,000 characters."))],
        filters=[strip],
    )
    submit_review = SubmitField(_l("Publish review"))

    def offer(self, listings) -> ReviewForm:
        self.listing_id.choices = [(listing.id, listing.title) for listing in listings]
        return self


class ReviewReplyForm(FlaskForm):
    """The seller's one public answer to a review."""

    reply = TextAreaField(
        _l("Your answer"),
        validators=[DataRequired(_l("Write a few words.")), Length(max=2000, message=_l("At most 2,000 characters."))],
        filters=[strip],
        render_kw={"rows": 3, "maxlength": 2000},
    )
    submit_reply = SubmitField(_l("Publish answer"))
