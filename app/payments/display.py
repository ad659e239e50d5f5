"""How an order's status is shown: a label in the reader's language and a badge colour."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "pending": _l("Awaiting payment"),
    "paid": _l("Paid"),
    "failed": _l("Payment failed"),
    "cancelled": _l("Cancelled"),
    "refunded": _l("Refunded"),
}
STATUS_COLOURS = {
    "pending": "text-bg-warning",
    "paid": "text-bg-success",
    "failed": "text-bg-danger",
    "cancelled": "text-bg-secondary",
    "refunded": "text-bg-info",
}


def status_badge(status: str) -> tuple[str, str]:
    """(label, Bootstrap badge class) for an order status."""
    return str(STATUS_LABELS.get(status, status)), STATUS_COLOURS.get(status, "text-bg-light")
