"""The payment flow through the real pages and the callback endpoint: only a verified paid
callback makes an order paid and runs its fulfilment, exactly once."""

from __future__ import annotations

import json

import pytest

from app import payments
from app.extensions import db
from app.models.payment import Order
from tests.conftest import csrf_token
from tests.factories import make_user
from tests.payments.helpers import FULFILLED, PRODUCT, callback_for, make_order, post_callback, signed


def order_page(client, order) -> str:
    return client.get(f"/payments/orders/{order.id}").get_data(as_text=True)


def start_paying(client, order) -> str:
    """Click Pay on the checkout page: answers the sandbox page's address."""
    response = client.post(
        f"/payments/orders/{order.id}/pay", data={"csrf_token": csrf_token(client, f"/payments/orders/{order.id}")}
    )
    assert response.status_code == 302
    assert "/payments/sandbox/" in response.location
    return response.location


def sandbox_choice(client, sandbox_url: str, outcome: str):
    return client.post(sandbox_url, data={"csrf_token": csrf_token(client, sandbox_url), "outcome": outcome})


def reload(order) -> Order:
    db.session.expire_all()
    return db.session.get(Order, order.id)


def test_pay_in_the_sandbox_makes_the_order_paid_and_runs_the_fulfilment_once(client, buyer):
    order = make_order(buyer)
    html = order_page(client, order)
    assert "Checkout" in html and "5,000" in html and "Awaiting payment" in html
    sandbox_url = start_paying(client, order)
    assert "5,000" in client.get(sandbox_url).get_data(as_text=True)

    response = sandbox_choice(client, sandbox_url, "paid")
    assert response.status_code == 302 and response.location.endswith(f"/payments/orders/{order.id}/back")
    html = client.get(response.location, follow_redirects=True).get_data(as_text=True)
    assert "Receipt" in html and 'data-status="paid"' in html and "Activated" in html
    paid = reload(order)
    assert paid.status == "paid" and paid.paid_at is not None and paid.lines[0].fulfilled_at is not None
    assert [(paid.lines[0].id, 42)] == FULFILLED

    # The provider repeats its callback (it does when our answer was lost): nothing changes.
    body, headers = callback_for(paid)
    response = post_callback(client, body, headers)
    assert response.status_code == 200 and response.json["result"] == "repeated"
    assert [(paid.lines[0].id, 42)] == FULFILLED
    assert reload(order).paid_at == paid.paid_at
    # A second Pay click on the same order sends nobody to pay again.
    assert client.post(
        f"/payments/orders/{order.id}/pay", data={"csrf_token": csrf_token(client, "/payments/")}
    ).location.endswith(f"/payments/orders/{order.id}")


@pytest.mark.parametrize("outcome, label", [("failed", "Payment failed"), ("cancelled", "Cancelled")])
def test_failed_or_cancelled_payment_activates_nothing(client, buyer, outcome, label):
    order = make_order(buyer)
    sandbox_choice(client, start_paying(client, order), outcome)
    assert reload(order).status == outcome
    html = order_page(client, order)
    assert label in html and "Nothing was charged" in html and "Activated" not in html
    assert FULFILLED == []
    # A paid callback arriving after the failure does not revive the order.
    body, headers = callback_for(reload(order), "paid")
    assert post_callback(client, body, headers).json["result"] == "repeated"
    assert reload(order).status == outcome and FULFILLED == []


def test_the_return_address_alone_activates_nothing(client, buyer):
    order = make_order(buyer)
    start_paying(client, order)
    response = client.get(f"/payments/orders/{order.id}/back", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "waiting for the payment system to confirm" in html
    assert reload(order).status == "pending" and FULFILLED == []


def test_forged_callbacks_change_nothing(client, buyer):
    order = make_order(buyer)
    start_paying(client, order)
    order = reload(order)
    body, headers = callback_for(order)
    forged = [
        (body, {**headers, "X-Sandbox-Signature": "0" * 64}),  # wrong signature
        (body, {"Content-Type": "application/json"}),  # none at all
        signed(json.loads(body), secret="not-the-secret"),  # signed with another key
        callback_for(order, amount=1),  # signed, but for another amount than the order's
        callback_for(order, payment="sbx_someone_else"),  # another payment
        callback_for(order, order=order.id + 1),
        callback_for(order, currency="USD"),
        (body.replace(b'"paid"', b'"failed"'), headers),  # body changed after signing
    ]
    for forged_body, forged_headers in forged:
        response = post_callback(client, forged_body, forged_headers)
        assert response.status_code == 400, forged_body
    assert reload(order).status == "pending" and FULFILLED == []
    # The genuine one still works afterwards.
    assert post_callback(client, body, headers).json == {"ok": True, "result": "applied"}
    assert reload(order).status == "paid" and len(FULFILLED) == 1


@pytest.mark.parametrize(
    "body",
    [b"", b"null", b"[]", b"{", b"\x00\xff", b'{"order": "1\\u0000"}', b'{"order": 1e400}',
     b'{"order": 123456789012345678901234567890, "payment": "x", "status": "paid", "amount": 1, "currency": "KZT"}',
     b'{"order": 1, "payment": "x", "status": "paid", "amount": -100, "currency": "KZT"}',
     b'{"order": 1, "payment": "x", "status": "paid", "amount": 123456789012345678901234567890, "currency": "KZT"}',
     b'{"order": true, "payment": "x", "status": "paid", "amount": 1, "currency": "KZT"}',
     b'{"order": 1, "payment": "' + b"x" * 5000 + b'", "status": "paid", "amount": 1, "currency": "KZT"}'],
)  # fmt: skip
def test_hostile_callbacks_are_refused_not_crashed(client, body):
    from app.payments.providers import SANDBOX_SIGNATURE_HEADER
    from tests.payments.helpers import sandbox

    # Correctly signed, so the parser itself is what refuses them.
    assert post_callback(client, body, {SANDBOX_SIGNATURE_HEADER: sandbox().sign(body)}).status_code == 400


def test_callbacks_for_an_unknown_provider_are_not_found(client):
    body, headers = signed({"order": 1})
    assert post_callback(client, body, headers).status_code == 400
    assert client.post("/payments/callback/kaspi", data=body, headers=headers).status_code == 404


def test_the_sandbox_page_needs_the_csrf_token_and_a_known_choice(client, buyer):
    order = make_order(buyer)
    sandbox_url = start_paying(client, order)
    assert client.post(sandbox_url, data={"outcome": "paid"}).status_code == 400
    assert sandbox_choice(client, sandbox_url, "PAID").status_code == 400
    assert sandbox_choice(client, sandbox_url, "refunded").status_code == 400
    assert reload(order).status == "pending" and FULFILLED == []


def test_another_members_order_and_sandbox_page_are_not_found(client, auth, buyer):
    order = make_order(buyer)
    sandbox_url = start_paying(client, order)
    auth.logout()
    make_user("stranger")
    auth.login("stranger")
    assert client.get(f"/payments/orders/{order.id}").status_code == 404
    assert client.get(sandbox_url).status_code == 404
    token = csrf_token(client, "/payments/")
    for action in ("pay", "cancel", "promo"):
        assert (
            client.post(f"/payments/orders/{order.id}/{action}", data={"csrf_token": token, "code": "X"}).status_code
            == 404
        )
    assert client.post(sandbox_url, data={"csrf_token": token, "outcome": "paid"}).status_code == 404
    assert reload(order).status == "pending"


def test_visitors_are_sent_to_sign_in(client, buyer, auth):
    order = make_order(buyer)
    auth.logout()
    for path in ("/payments/", f"/payments/orders/{order.id}", "/payments/admin/orders", "/payments/admin/promo-codes"):
        response = client.get(path)
        assert response.status_code == 302 and "/auth/login" in response.location


def test_the_buyer_cancels_a_pending_order(client, buyer):
    order = make_order(buyer)
    response = client.post(f"/payments/orders/{order.id}/cancel", data={"csrf_token": csrf_token(client, "/payments/")},
                           follow_redirects=True)  # fmt: skip
    assert "The order is cancelled" in response.get_data(as_text=True)
    assert reload(order).status == "cancelled" and reload(order).cancelled_at is not None


def test_my_payments_lists_only_ones_own_orders(client, buyer):
    mine = make_order(buyer, amount=payments.tenge(1500))
    other = make_order(make_user("other"), amount=payments.tenge(2500))
    html = client.get("/payments/").get_data(as_text=True)
    assert f'data-order-id="{mine.id}"' in html and f'data-order-id="{other.id}"' not in html
    assert "1,500" in html and "2,500" not in html
    assert client.get("/payments/?page=99999999999999999999999").status_code == 200


def test_amounts_show_in_tenge_in_each_language(client, buyer):
    order = make_order(buyer, amount=payments.tenge(1_250_000) + 50)
    assert "1,250,000.50" in client.get(f"/payments/orders/{order.id}?lang=en").get_data(as_text=True)
    ru = client.get(f"/payments/orders/{order.id}?lang=ru").get_data(as_text=True)
    assert "1\u00a0250\u00a0000,50\u00a0₸" in ru and "Оформление заказа" in ru
    kk = client.get(f"/payments/orders/{order.id}?lang=kk").get_data(as_text=True)
    assert "1\u00a0250\u00a0000,50\u00a0₸" in kk


@pytest.mark.parametrize("amount", [0, -100, 10**13, 2**63, 12.5, True, "100"])
def test_orders_refuse_amounts_that_are_not_whole_tiyn_in_range(buyer, amount):
    with pytest.raises(ValueError):
        payments.create_order(buyer, [payments.LineSpec(PRODUCT, 1, amount, "x")])
    with pytest.raises(ValueError):
        payments.create_order(buyer, [payments.LineSpec("no_such_product", 1, 100, "x")])
    with pytest.raises(ValueError):
        payments.create_order(buyer, [])


def test_order_addresses_with_hostile_numbers_are_not_found(client, buyer):
    for path in ("/payments/orders/123456789012345678901234567890", "/payments/orders/-1", "/payments/orders/%C2%B2",
                 "/payments/sandbox/%00", "/payments/orders/1/back"):  # fmt: skip
        assert client.get(path).status_code == 404, path


def test_an_order_with_several_lines_fulfils_each_once(client, buyer):
    order = make_order(buyer, lines=3)
    sandbox_choice(client, start_paying(client, order), "paid")
    paid = reload(order)
    assert paid.total == 3 * payments.tenge(5000)
    assert sorted(FULFILLED) == sorted((line.id, 42) for line in paid.lines)
