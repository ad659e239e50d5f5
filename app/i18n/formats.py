"""Local formats through Babel, in the page's language and the site's time zone.

Template filters (and the same functions for Python code):

    {{ 13900000|price }}            13 900 000 ₸        (currency code as argument: |price("USD"))
    {{ 13900000|number }}           13 900 000
    {{ 84000|mileage }}             84 000 км           (en: 84,000 km)
    {{ 2.5|engine_volume }}         2,5 л
    {{ 150|power }}                 150 л. с.
    {{ dt|date }}                   1 дек. 2026 г.
    {{ dt|datetime }}               1 дек. 2026 г., 15:13   (never seconds)
    {{ dt|time }}                   15:13
    {{ dt|timeago }}                3 минуты назад       (a date after a week)
    {{ "+77011234567"|phone }}      +7 701 123 45 67

Datetimes are naive UTC from the database; they are shown in BABEL_DEFAULT_TIMEZONE.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from babel.dates import get_datetime_format
from babel.units import format_unit
from flask import Flask
from flask_babel import format_date, format_decimal, format_time, format_timedelta, get_locale
from jinja2 import pass_context

from app.core.time import utcnow

NBSP = "\u00a0"
# The currencies a price may be in, with the sign shown after the amount.
CURRENCIES = {
    "KZT": "₸",
    "USD": "$",
    "EUR": "€",
    "RUB": "₽",
}
RELATIVE_DAYS = 7


def format_number(value: int | float | Decimal | None) -> str:
    """Digits grouped the locale's way: "13 900 000" (ru, kk), "13,900,000" (en)."""
    return "" if value is None else format_decimal(value)


def format_price(value: int | Decimal | None, currency: str = "KZT") -> str:
    """ "13 900 000 ₸": grouped in the locale's way, then the sign people write on a price tag
    (Babel's own symbol for the tenge in Russian is "KZT")."""
    if value is None:
        return ""
    return f"{format_decimal(value, format='#,##0')}{NBSP}{CURRENCIES.get(currency, currency)}"


def format_mileage(km: int | None) -> str:
    """ "84 000 км" (ru, kk), "84,000 km" (en)."""
    return "" if km is None else format_unit(km, "length-kilometer", length="short", locale=get_locale())


def format_engine_volume(litres: float | Decimal | None) -> str:
    """ "2,5 л" (ru, kk), "2.5 L" (en): one decimal place."""
    if litres is None:
        return ""
    return format_unit(litres, "volume-liter", length="short", format="#,##0.0", locale=get_locale())


def format_date_only(value: date | datetime | None, style: str = "medium") -> str:
    """ "1 дек. 2026 г." (a datetime is first moved into the site's time zone)."""
    if value is None:
        return ""
    return format_date(value, style)


def format_power(hp: int | None) -> str:
    """ "150 л. с." (ru), "150 а. к." (kk), "150 hp" (en)."""
    return "" if hp is None else format_unit(hp, "power-horsepower", length="short", locale=get_locale())


def format_time_short(value: datetime | str | None) -> str:
    """ "15:13" in the site's time zone (en: "3:13 PM"); garage.formatTime in JS gives the same.

    Also takes the ISO text of the chat payloads ("2026-12-01T10:13:38.123456Z", UTC)."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.removesuffix("Z"))
        except ValueError:
            return ""
        value = value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)
    return format_time(value, "short")


def format_datetime(value: datetime | None, style: str = "medium") -> str:
    """ "1 дек. 2026 г., 15:13": the locale's date (`style`) and short time, no seconds."""
    if value is None:
        return ""
    locale = get_locale()
    joined = get_datetime_format(style if style != "short" else "medium", locale=locale)
    return joined.replace("'", "").replace("{0}", format_time(value, "short")).replace("{1}", format_date(value, style))


def timeago(value: datetime | None) -> str:
    """ "3 минуты назад"; older than a week: the date and time."""
    if value is None:
        return ""
    delta = utcnow() - value
    if delta.days >= RELATIVE_DAYS:
        return format_datetime(value)
    return format_timedelta(-delta, add_direction=True, threshold=1.0)


# Babel's units for a relative time under RELATIVE_DAYS, largest first (babel.dates).
RELATIVE_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


def timeago_key(value: datetime | None) -> object:
    """What `timeago(value)` says now, without formatting it: past or future, and the unit
    and rounded count that Babel's format_timedelta picks (threshold 1); or the value itself
    once it shows as a date. Equal keys give the same text in one language, so HTML holding
    that text can be reused while the key stays the same (app/listings/cards.py)."""
    if value is None:
        return None
    delta = utcnow() - value
    if delta.days >= RELATIVE_DAYS:
        return value
    seconds = delta.total_seconds()
    for unit, size in RELATIVE_UNITS[:-1]:
        if abs(seconds) >= size:
            return seconds > 0, unit, round(abs(seconds) / size)
    return seconds > 0, "second", round(max(1, abs(seconds)) if seconds else 0)


def group_plural_numbers(app: Flask) -> None:
    """`ngettext("%(num)s car", ...)` in templates shows "1 234 машины", not "1234": `num`
    (unless given) is the count formatted for the locale; the plural is still chosen by it."""
    jinja_ngettext = app.jinja_env.globals["ngettext"]

    @pass_context
    def ngettext(context, singular: str, plural: str, num: int, **variables):
        variables.setdefault("num", format_number(num))
        return jinja_ngettext(context, singular, plural, num, **variables)

    app.jinja_env.globals["ngettext"] = ngettext


def register_filters(app: Flask) -> None:
    from app.i18n.phone import format_phone

    filters = {
        "number": format_number,
        "price": format_price,
        "mileage": format_mileage,
        "engine_volume": format_engine_volume,
        "power": format_power,
        "date": format_date_only,
        "time": format_time_short,
        "datetime": format_datetime,
        "timeago": timeago,
        "phone": format_phone,
    }
    app.jinja_env.filters.update(filters)
    group_plural_numbers(app)
