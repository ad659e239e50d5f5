"""The admin's side of payments: every order, refunds, promo codes; nobody else may."""

from __future__ import annotations

import pytest

from app import payments
from app.core.audit import AuditLog
from app.extensions import db
from app.models.payment import Order, PromoCode
from tests.conftest import csrf_token
from tests.factories import make_user
from tests.payments.helpers import FULFILLED, REFUNDED, callback_for, make_order, post_callback


def paid_order(client, user) -> Order:
    """An order paid through a verified sandbox callback."""
    order = make_order(user)
    order.provider, order.provider_ref = "sandbox", f"sbx_test_{order.id}"
    db.session.commit()
    body, headers = callback_for(order)
    assert post_callback(client, body, headers).json["result"] == "applied"
    db.session.expire_all()
    return db.session.get(Order, order.id)


def test_the_admin_refunds_a_paid_order(client, auth):
    buyer = make_user("buyer")
    order = paid_order(client, buyer)
    make_user("boss", role="admin")
    auth.login("boss")
    html = client.get("/payments/admin/orders").get_data(as_text=True)
    assert f'data-order-id="{order.id}"' in html and "buyer" in html and "Refund" in html
    token = csrf_token(client, "/payments/admin/orders")
    response = client.post(
        f"/payments/admin/orders/{order.id}/refund", data={"csrf_token": token}, follow_redirects=True
    )
    assert f"Order {order.id} is refunded." in response.get_data(as_text=True)
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.status == "refunded" and order.refunded_at and order.lines[0].refunded_at
    assert [order.lines[0].id] == REFUNDED
    assert db.session.query(AuditLog).filter_by(action="payment_refund", target_id=order.id).count() == 1
    # Twice is not twice the money.
    response = client.post(
        f"/payments/admin/orders/{order.id}/refund", data={"csrf_token": token}, follow_redirects=True
    )
    assert "Only a paid order can be refunded." in response.get_data(as_text=True)
    assert [order.lines[0].id] == REFUNDED
    # The buyer sees it on the receipt; a repeated paid callback does not activate it again.
    auth.logout()
    auth.login("buyer")
    assert "The money for this order was returned." in client.get(f"/payments/orders/{order.id}").get_data(as_text=True)
    body, headers = callback_for(order)
    assert post_callback(client, body, headers).json["result"] == "repeated"
    assert len(FULFILLED) == 1


def test_a_pending_order_cannot_be_refunded(client, auth):
    order = make_order(make_user("buyer"))
    make_user("boss", role="admin")
    auth.login("boss")
    client.post(
        f"/payments/admin/orders/{order.id}/refund", data={"csrf_token": csrf_token(client, "/payments/admin/orders")}
    )
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "pending" and REFUNDED == []


@pytest.mark.parametrize("role", ["user", "moderator", "dealer"])
def test_only_admins_see_orders_refund_and_manage_codes(client, auth, role):
    order = paid_order(client, make_user("buyer"))
    make_user("someone", role=role)
    auth.login("someone")
    token = csrf_token(client, "/payments/")
    assert client.get("/payments/admin/orders").status_code == 403
    assert client.get("/payments/admin/promo-codes").status_code == 403
    assert client.post(f"/payments/admin/orders/{order.id}/refund", data={"csrf_token": token}).status_code == 403
    assert client.post("/payments/admin/promo-codes", data={"csrf_token": token, "code": "HACK", "kind": "percent",
                                                             "value": "100"}).status_code == 403  # fmt: skip
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "paid" and db.session.query(PromoCode).count() == 0


def test_refund_needs_the_csrf_token(client, auth):
    order = paid_order(client, make_user("buyer"))
    make_user("boss", role="admin")
    auth.login("boss")
    assert client.post(f"/payments/admin/orders/{order.id}/refund").status_code == 400
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "paid"


def code_form(client, **fields) -> dict:
    data = {"csrf_token": csrf_token(client, "/payments/admin/promo-codes"), "code": "WINTER", "kind": "percent",
            "value": "15", "starts_on": "", "ends_on": "", "max_uses": "", "form_token": "t" * 32}  # fmt: skip
    data.update(fields)
    return data


def test_the_admin_creates_and_disables_a_code(client, auth):
    make_user("boss", role="admin")
    auth.login("boss")
    data = code_form(client, code="winter-26", kind="fixed", value="2000", starts_on="2026-12-01", ends_on="2027-02-28",
                     max_uses="100")  # fmt: skip
    response = client.post("/payments/admin/promo-codes", data=data, follow_redirects=True)
    assert "The promo code is created." in response.get_data(as_text=True)
    promo = db.session.query(PromoCode).one()
    assert (promo.code, promo.kind, promo.value, promo.max_uses) == ("WINTER-26", "fixed", payments.tenge(2000), 100)
    # The same form sent twice (a double click) makes one code.
    client.post("/payments/admin/promo-codes", data=data)
    assert db.session.query(PromoCode).count() == 1
    html = client.get("/payments/admin/promo-codes").get_data(as_text=True)
    assert "WINTER-26" in html and "uses: 0 of 100" in html
    client.post(f"/payments/admin/promo-codes/{promo.id}/active", data={"csrf_token": csrf_token(client, "/payments/")})
    db.session.expire_all()
    assert db.session.get(PromoCode, promo.id).active is False
    assert "disabled" in client.get("/payments/admin/promo-codes").get_data(as_text=True)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"value": "-5"}, "Enter a whole number above zero."),
        ({"value": "²"}, "Enter a whole number above zero."),
        ({"value": "123456789012345678901234567890"}, "Enter a whole number above zero."),
        ({"value": "1.5"}, "Enter a whole number above zero."),
        ({"value": "150"}, "A percentage is at most 100."),
        ({"max_uses": "0"}, "Enter a whole number above zero, or leave it empty."),
        ({"max_uses": "99999999999999999999"}, "Enter a whole number above zero, or leave it empty."),
        ({"code": "a\x00b"}, "3 to 32 Latin capital letters"),
        ({"code": "ÜBER"}, "3 to 32 Latin capital letters"),
        ({"code": "x" * 300}, "Field cannot be longer than 32 characters."),
        ({"starts_on": "2027-01-10", "ends_on": "2027-01-01"}, "The end date is before the start date."),
        ({"ends_on": "99999-01-01"}, "Not a valid date value."),
    ],
)
def test_hostile_promo_code_forms_are_refused_with_a_reason(client, auth, fields, message):
    make_user("boss", role="admin")
    auth.login("boss")
    response = client.post("/payments/admin/promo-codes", data=code_form(client, **fields))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.query(PromoCode).count() == 0


def test_a_code_name_is_taken_once(client, auth):
    make_user("boss", role="admin")
    auth.login("boss")
    client.post("/payments/admin/promo-codes", data=code_form(client))
    response = client.post("/payments/admin/promo-codes", data=code_form(client, code="winter", form_token="u" * 32))
    assert "A promo code with this name exists." in response.get_data(as_text=True)
    assert db.session.query(PromoCode).count() == 1


def test_the_admin_order_list_filters_by_status_and_survives_odd_arguments(client, auth):
    buyer = make_user("buyer")
    paid = paid_order(client, buyer)
    pending = make_order(buyer)
    make_user("boss", role="admin")
    auth.login("boss")
    html = client.get("/payments/admin/orders?status=paid").get_data(as_text=True)
    assert f'data-order-id="{paid.id}"' in html and f'data-order-id="{pending.id}"' not in html
    for query in ("?status=%00", "?status=x" * 50, "?page=-1", "?page=999999999999999999999999999999"):
        assert client.get("/payments/admin/orders" + query).status_code == 200
