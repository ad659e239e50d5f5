"""What can be bought: each feature that sells something registers its products from its
own `init_app`, with the handlers payments calls once the money is in (or given back).

    payments.register_product(app, "listing_top_7", title=_l("Top for 7 days"),
                              fulfil=activate_top, refund=stop_top)

`fulfil(line)` runs exactly once per paid line, inside the transaction of the verified
paid callback (it must not commit; raising rolls the callback back and the order stays
pending, so the provider's retry tries again). `refund(line)` runs when an admin refunds
the order, in the same transaction as the status change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

if TYPE_CHECKING:
    from app.models.payment import OrderLine

KEY = "garage.payment_products"
CODE = re.compile(r"[a-z][a-z0-9_]{1,47}")


@dataclass(frozen=True)
class Product:
    code: str
    title: Any  # a lazy string: shown in the buyer's language on the receipt and in the admin list
    fulfil: Callable[[OrderLine], None]
    refund: Callable[[OrderLine], None] | None = None


def register_product(
    app: Flask,
    code: str,
    *,
    title: Any,
    fulfil: Callable[[OrderLine], None],
    refund: Callable[[OrderLine], None] | None = None,
) -> Product:
    """Make `code` sellable in `app`. A code is registered once: a second registration is a
    programming error (two features would fight over who fulfils it)."""
    if not CODE.fullmatch(code):
        raise ValueError(f"product code {code!r}: lower-case letters, digits and _ only")
    products = app.extensions.setdefault(KEY, {})
    if code in products:
        raise ValueError(f"product {code!r} is registered twice")
    products[code] = product = Product(code, title, fulfil, refund)
    return product


def products() -> dict[str, Product]:
    return current_app.extensions.get(KEY, {})


def product(code: str) -> Product | None:
    return products().get(code)


def product_title(code: str) -> Any:
    """The product's name for pages; a code no longer registered shows as itself."""
    found = product(code)
    return found.title if found else code
