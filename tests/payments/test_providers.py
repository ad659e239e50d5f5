"""Configuration and registration: production never takes sandbox "payments" by accident,
payments can be switched off, products are registered once with a sane code."""

from __future__ import annotations

import pytest
from flask import Flask

from app import create_app, payments
from app.extensions import db
from app.models.payment import Order
from config import ProductionConfig
from tests.conftest import csrf_token
from tests.payments.helpers import callback_for, make_order, post_callback


@pytest.mark.parametrize("secret", [None, "", "short"])
def test_production_refuses_the_sandbox_without_its_own_secret(monkeypatch, secret):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("DATABASE_URL", "postgresql://garage@db/garage")
    monkeypatch.setenv("PAYMENTS_PROVIDER", "sandbox")
    if secret is None:
        monkeypatch.delenv("PAYMENTS_SANDBOX_SECRET", raising=False)
    else:
        monkeypatch.setenv("PAYMENTS_SANDBOX_SECRET", secret)
    with pytest.raises(RuntimeError, match="PAYMENTS_SANDBOX_SECRET"):
        create_app(ProductionConfig)


def test_with_payments_off_checkout_says_so_and_callbacks_are_not_found(app, client, buyer, monkeypatch):
    order = make_order(buyer)
    order.provider, order.provider_ref = "sandbox", "sbx_earlier"
    db.session.commit()
    monkeypatch.setitem(app.config, "PAYMENTS_PROVIDER", "")
    html = client.get(f"/payments/orders/{order.id}").get_data(as_text=True)
    assert "Online payment is not available at the moment." in html
    response = client.post(f"/payments/orders/{order.id}/pay", data={"csrf_token": csrf_token(client, "/payments/")})
    assert response.status_code == 302 and "/sandbox/" not in response.location
    body, headers = callback_for(order)
    assert post_callback(client, body, headers).status_code == 404
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "pending"


@pytest.mark.parametrize("code", ["", "Top", "top-7", "7top", "x" * 60, "top\x00"])
def test_product_codes_are_plain_names(code):
    with pytest.raises(ValueError):
        payments.register_product(Flask("x"), code, title="X", fulfil=print)


def test_a_product_is_registered_once():
    app = Flask("x")
    payments.register_product(app, "listing_top_7", title="Top", fulfil=print)
    with pytest.raises(ValueError, match="twice"):
        payments.register_product(app, "listing_top_7", title="Top", fulfil=print)


def test_tenge_and_the_money_format(app):
    from flask_babel import force_locale

    from app.payments.money import format_money

    assert payments.tenge(7000) == 700_000
    with app.test_request_context(), force_locale("en"):
        assert format_money(700_000) == "7,000\u00a0₸"
        assert format_money(5) == "0.05\u00a0₸"
    with app.test_request_context(), force_locale("ru"):
        assert format_money(123_456_789_01) == "123\u00a0456\u00a0789,01\u00a0₸"
