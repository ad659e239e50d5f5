"""Vehicle identification numbers (ISO 3779).

The rule Garage applies:

- a VIN is 17 characters, digits and capital Latin letters except I, O and Q (they look
  like 1 and 0); spaces and dashes are removed and letters upper-cased first;
- the ninth character is a check digit (0-9 or X) only for vehicles made for North
  America (world manufacturer identifiers starting with 1-5: USA, Canada, Mexico).
  ISO 3779 makes it optional elsewhere and most European and Asian makers use that
  position for something else, so it is verified only for those VINs.

The check digit: each character is transliterated to a number (A=1 … H=8, J=1 … R=9,
S=2 … Z=9, digits as themselves), multiplied by the weight of its position
(8 7 6 5 4 3 2 10 0 9 8 7 6 5 4 3 2), the products summed, and the sum taken modulo 11;
a remainder of 10 is written X.
"""

from __future__ import annotations

import re

VIN_PATTERN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
TRANSLITERATION = {
    **{str(digit): digit for digit in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
NORTH_AMERICAN_REGIONS = "12345"


def normalize_vin(value: str) -> str:
    """Upper-case, without spaces and dashes."""
    return re.sub(r"[\s-]", "", value or "").upper()


def check_digit(vin: str) -> str:
    """The ISO 3779 / FMVSS 115 check digit of a 17-character VIN ('0'-'9' or 'X')."""
    total = sum(TRANSLITERATION[char] * weight for char, weight in zip(vin, WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def vin_problem(vin: str) -> str | None:
    """None for a valid (normalized) VIN, else a short English reason (translated by the caller)."""
    if len(vin) != 17:
        return "length"
    if not VIN_PATTERN.match(vin):
        return "characters"
    if vin[0] in NORTH_AMERICAN_REGIONS and vin[8] != check_digit(vin):
        return "check_digit"
    return None
