"""Money in tiyn (1 ₸ = 100 tiyn), as integers everywhere: prices in configuration, order
amounts, discounts. Shown through the site's Babel price format ("7 000 ₸")."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import format_decimal

from app.i18n.formats import CURRENCIES, NBSP, format_price

TIYN_PER_TENGE = 100


def tenge(amount: int) -> int:
    """Whole tenge in tiyn: `tenge(7000) == 700_000`."""
    return amount * TIYN_PER_TENGE


def format_money(tiyn: int | None, currency: str = "KZT") -> str:
    """ "7 000 ₸", or "7 000,50 ₸" when there are tiyn (never through a float)."""
    if tiyn is None:
        return ""
    whole, part = divmod(tiyn, TIYN_PER_TENGE)
    if not part:
        return format_price(whole, currency)
    amount = Decimal(tiyn).scaleb(-2)
    return f"{format_decimal(amount, format='#,##0.00')}{NBSP}{CURRENCIES.get(currency, currency)}"
