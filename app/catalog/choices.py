"""Fixed choices for listings and search filters: stored value → translated label.

Values are short ASCII codes stored in the database and used in URLs; labels go
through gettext. Order here is the order in selects.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

BODY_TYPES = {
    "sedan": _l("Sedan"),
    "hatchback": _l("Hatchback"),
    "wagon": _l("Wagon"),
    "suv": _l("SUV"),
    "crossover": _l("Crossover"),
    "coupe": _l("Coupe"),
    "convertible": _l("Convertible"),
    "minivan": _l("Minivan"),
    "pickup": _l("Pickup"),
    "van": _l("Van"),
    "liftback": _l("Liftback"),
}
FUELS = {
    "petrol": _l("Petrol"),
    "diesel": _l("Diesel"),
    "hybrid": _l("Hybrid"),
    "plugin_hybrid": _l("Plug-in hybrid"),
    "electric": _l("Electric"),
    "gas": _l("Gas (LPG/CNG)"),
    "petrol_gas": _l("Petrol and gas"),
}
TRANSMISSIONS = {
    "manual": _l("Manual"),
    "automatic": _l("Automatic"),
    "robot": _l("Robotised (AMT/DCT)"),
    "cvt": _l("CVT"),
}
DRIVES = {
    "fwd": _l("Front-wheel drive"),
    "rwd": _l("Rear-wheel drive"),
    "awd": _l("All-wheel drive"),
}
COLOURS = {
    "white": _l("White"),
    "black": _l("Black"),
    "silver": _l("Silver"),
    "grey": _l("Grey"),
    "blue": _l("Blue"),
    "red": _l("Red"),
    "green": _l("Green"),
    "brown": _l("Brown"),
    "beige": _l("Beige"),
    "yellow": _l("Yellow"),
    "orange": _l("Orange"),
    "purple": _l("Purple"),
    "gold": _l("Gold"),
    "other": _l("Other"),
}
STEERING = {
    "left": _l("Left-hand drive"),
    "right": _l("Right-hand drive"),
}
CONDITIONS = {
    "used": _l("Used"),
    "new": _l("New"),
    "damaged": _l("Damaged / for parts"),
}


def select_choices(mapping: dict, blank: str | None = None) -> list[tuple[str, str]]:
    """WTForms choices from a mapping, with an optional empty first option."""
    choices = list(mapping.items())
    return [("", blank), *choices] if blank is not None else choices
