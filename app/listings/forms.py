"""Listing forms: create/edit, saving a search."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from app.catalog import services as catalog
from app.catalog.choices import (
    BODY_TYPES,
    COLOURS,
    CONDITIONS,
    DRIVES,
    FUELS,
    STEERING,
    TRANSMISSIONS,
    select_choices,
)
from app.edits import EditVersionField, FormTokenField
from app.extensions import db
from app.i18n.formats import CURRENCIES
from app.inputs import MAX_INT, FiniteDecimalField, parse_int
from app.listings.vin import normalize_vin, vin_problem
from app.models import City, Generation

MAX_PRICE = 100_000_000_000  # 100 billion in any currency: anything above is a typo
MAX_MILEAGE = 2_000_000
VIN_MESSAGES = {
    "length": _l("A VIN has exactly 17 characters."),
    "characters": _l("A VIN uses digits and Latin letters except I, O and Q."),
    "check_digit": _l("This VIN's check digit (9th character) does not match: please check for a typo."),
}


def int_or_none(value):
    """A select's value as a database id, or None: empty, not ASCII digits, or beyond an
    id column (a 30-digit value used to overflow the database look-up)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 <= value <= MAX_INT else None
    return parse_int(value) if isinstance(value, str) else None


def strip(value):
    return value.strip() if isinstance(value, str) else value


class BoundedIntegerField(IntegerField):
    """An integer field that refuses absurdly long numbers before they reach validators
    (a 400-digit number would overflow NumberRange's float check)."""

    def process_formdata(self, valuelist):
        if valuelist and len(str(valuelist[0]).strip()) > 15:
            self.data = None
            raise ValueError(self.gettext("This number is too large."))
        super().process_formdata(valuelist)


CHOOSE = _l("Choose…")


def max_year() -> int:
    return date.today().year + 1


NOT_LISTING_DATA = ("csrf_token", "submit", "form_token", "edit_version")


class ListingForm(FlaskForm):
    edit_version = EditVersionField()  # edit: refused when the listing changed meanwhile
    brand_id = SelectField(_l("Make"), coerce=int_or_none, validators=[InputRequired(_l("Choose the make."))])
    model_id = SelectField(
        _l("Model"), coerce=int_or_none, validate_choice=False, validators=[InputRequired(_l("Choose the model."))]
    )
    generation_id = SelectField(_l("Generation"), coerce=int_or_none, validate_choice=False)
    year = BoundedIntegerField(_l("Year"), validators=[InputRequired(_l("Enter the year of manufacture."))])
    mileage_km = BoundedIntegerField(
        _l("Mileage, km"),
        validators=[
            InputRequired(_l("Enter the mileage (0 for a new car).")),
            NumberRange(0, MAX_MILEAGE, _l("Mileage is between 0 and 2,000,000 km.")),
        ],
    )
    price = BoundedIntegerField(
        _l("Price"),
        validators=[
            InputRequired(_l("Enter the price.")),
            NumberRange(1, MAX_PRICE, _l("The price must be above zero and below 100 billion.")),
        ],
    )
    currency = SelectField(_l("Currency"), choices=list(CURRENCIES.items()), default="KZT")
    # No option is pre-chosen: a skipped field must not publish "Sedan, petrol, manual".
    body = SelectField(
        _l("Body"), choices=select_choices(BODY_TYPES, CHOOSE), validators=[InputRequired(_l("Choose the body."))]
    )
    fuel = SelectField(
        _l("Fuel"), choices=select_choices(FUELS, CHOOSE), validators=[InputRequired(_l("Choose the fuel."))]
    )
    transmission = SelectField(
        _l("Transmission"),
        choices=select_choices(TRANSMISSIONS, CHOOSE),
        validators=[InputRequired(_l("Choose the transmission."))],
    )
    drive = SelectField(
        _l("Drive"), choices=select_choices(DRIVES, CHOOSE), validators=[InputRequired(_l("Choose the drive."))]
    )
    colour = SelectField(_l("Colour"), choices=select_choices(COLOURS, CHOOSE))
    steering = SelectField(
        _l("Steering"),
        choices=select_choices(STEERING, CHOOSE),
        validators=[InputRequired(_l("Choose the steering side."))],
    )
    condition = SelectField(
        _l("Condition"),
        choices=select_choices(CONDITIONS, CHOOSE),
        validators=[InputRequired(_l("Choose the condition."))],
    )
    engine_volume_l = FiniteDecimalField(
        _l("Engine volume, l"),
        places=1,
        validators=[Optional(), NumberRange(0.1, 10, _l("Engine volume is between 0.1 and 10 litres."))],
    )
    power_hp = BoundedIntegerField(
        _l("Power, hp"), validators=[Optional(), NumberRange(1, 2000, _l("Power is between 1 and 2,000 hp."))]
    )
    vin = StringField(_l("VIN (optional)"), validators=[Optional(), Length(max=40)], filters=[strip])
    region_id = SelectField(_l("Region"), coerce=int_or_none, validators=[InputRequired(_l("Choose the region."))])
    city_id = SelectField(
        _l("City"), coerce=int_or_none, validate_choice=False, validators=[InputRequired(_l("Choose the city."))]
    )
    description = TextAreaField(
        _l("Description"), validators=[Length(max=5000, message=_l("At most 5,000 characters."))], filters=[strip]
    )
    submit = SubmitField(_l("Save listing"))

    def fill_choices(self) -> None:
        """Options for the selects, from the make/model/region currently chosen."""
        self.brand_id.choices = [(None, _l("Choose the make")), *catalog.brand_choices()]
        self.model_id.choices = [(None, _l("Choose the model")), *catalog.model_choices(self.brand_id.data)]
        self.generation_id.choices = [(None, _l("Not sure")), *catalog.generation_choices(self.model_id.data)]
        self.region_id.choices = [(None, _l("Choose the region")), *catalog.region_choices()]
        self.city_id.choices = [(None, _l("Choose the city")), *catalog.city_choices(self.region_id.data)]

    def validate_year(self, field) -> None:
        if field.data is not None and not 1900 <= field.data <= max_year():
            raise ValidationError(_l("The year is between 1900 and %(year)s.", year=max_year()))

    def validate_model_id(self, field) -> None:
        if field.data not in {value for value, _label in catalog.model_choices(self.brand_id.data)}:
            raise ValidationError(_l("Choose a model of this make."))

    def validate_generation_id(self, field) -> None:
        if field.data is None:
            return
        generation = db.session.get(Generation, field.data)
        if generation is None or generation.model_id != self.model_id.data:
            raise ValidationError(_l("Choose a generation of this model."))
        year = self.year.data
        if isinstance(year, int) and not generation_fits(generation, year):
            raise ValidationError(
                _l(
                    "%(generation)s was made in %(years)s, not in %(year)s: choose the generation "
                    "of a %(year)s car or “Not sure”.",
                    generation=generation.name,
                    years=f"{generation.year_from}–{generation.year_to or '…'}",
                    year=year,
                )
            )

    def validate_city_id(self, field) -> None:
        city = db.session.get(City, field.data) if field.data else None
        if city is None or city.region_id != self.region_id.data:
            raise ValidationError(_l("Choose a city of this region."))

    def validate_vin(self, field) -> None:
        vin = normalize_vin(field.data or "")
        field.data = vin or None
        if vin and (problem := vin_problem(vin)):
            raise ValidationError(VIN_MESSAGES[problem])

    def listing_data(self) -> dict:
        data = {name: getattr(self, name).data for name in self._fields if name not in NOT_LISTING_DATA}
        volume = data.get("engine_volume_l")
        data["engine_volume_l"] = float(volume) if volume is not None else None
        return data


class NewListingForm(ListingForm):
    form_token = FormTokenField()  # creation: one listing per submitted form


def generation_fits(generation: Generation, year: int) -> bool:
    """Whether a car of this model year can be of this generation (both years included)."""
    return generation.year_from <= year and (generation.year_to is None or year <= generation.year_to)


class SaveSearchForm(FlaskForm):
    form_token = FormTokenField()  # one saved search per submitted form
    name = StringField(_l("Name of the search"), validators=[Length(max=120)], filters=[strip])
    query = HiddenField(validators=[Length(max=2000)])
    save = SubmitField(_l("Save this search"))


class DeleteForm(FlaskForm):
    """A button that posts (CSRF included)."""

    confirm = HiddenField(default="1", validators=[DataRequired()])
