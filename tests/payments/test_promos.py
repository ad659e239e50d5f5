"""Promo codes at checkout: the discount, the validity dates, the use limit, once per
member, and a refusal that says why."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import payments
from app.extensions import db
from app.models.payment import Order, PromoCode
from app.payments.promos import site_today
from tests.conftest import csrf_token
from tests.factories import make_user
from tests.payments.helpers import FULFILLED, make_order


def make_code(code: str = "SPRING25", kind: str = "percent", value: int = 25, **fields) -> PromoCode:
    promo = PromoCode(code=code, kind=kind, value=value, used_count=0, active=True, **fields)
    db.session.add(promo)
    db.session.commit()
    return promo


def apply(client, order, code: str) -> str:
    path = f"/payments/orders/{order.id}"
    response = client.post(
        f"{path}/promo", data={"csrf_token": csrf_token(client, path), "code": code}, follow_redirects=True
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def reload(order) -> Order:
    db.session.expire_all()
    return db.session.get(Order, order.id)


def test_a_percentage_code_lowers_the_total(client, buyer):
    make_code()
    order = make_order(buyer, amount=payments.tenge(8000))
    html = apply(client, order, "  spring25 ")
    assert "The promo code is applied." in html and "Promo code SPRING25" in html and "6,000" in html
    order = reload(order)
    assert (order.subtotal, order.discount, order.total) == (800_000, 200_000, 600_000)
    assert db.session.get(PromoCode, order.promo_code_id).used_count == 1


def test_a_percentage_rounds_down_to_whole_tiyn(buyer):
    from app.payments.promos import discount_for

    promo = make_code(value=33)
    assert discount_for(promo, 1001) == 330
    assert discount_for(make_code("FIXED", "fixed", 500_000), 100_000) == 100_000  # never more than the order


def test_a_fixed_code_that_covers_everything_completes_the_order_without_paying(client, buyer):
    make_code("FREE", "fixed", payments.tenge(100_000))
    order = make_order(buyer)
    assert "Confirm the order" in apply(client, order, "FREE")
    response = client.post(f"/payments/orders/{order.id}/pay", data={"csrf_token": csrf_token(client, "/payments/")},
                           follow_redirects=True)  # fmt: skip
    assert "paid with the promo code" in response.get_data(as_text=True)
    order = reload(order)
    assert order.status == "paid" and order.total == 0 and [(order.lines[0].id, 42)] == FULFILLED


REFUSED = {
    "expired": (lambda today: {"ends_on": today - timedelta(days=1)}, "This promo code has expired."),
    "not started": (lambda today: {"starts_on": today + timedelta(days=1)}, "This promo code is not valid yet."),
    "disabled": (lambda today: {"active": False}, "This promo code is no longer valid."),
    "used up": (lambda today: {"max_uses": 3, "used_count": 3}, "This promo code has been used up."),
}


@pytest.mark.parametrize("case", REFUSED)
def test_refused_codes_say_why(client, buyer, case):
    fields, message = REFUSED[case]
    promo = make_code()
    for name, value in fields(site_today()).items():
        setattr(promo, name, value)
    db.session.commit()
    order = make_order(buyer)
    assert message in apply(client, order, "SPRING25")
    assert reload(order).total == payments.tenge(5000) and reload(order).promo_code_id is None


def test_a_code_is_valid_on_its_first_and_last_day(client, buyer):
    make_code(starts_on=site_today(), ends_on=site_today())
    assert "The promo code is applied." in apply(client, make_order(buyer), "SPRING25")


@pytest.mark.parametrize(
    "code", ["NOPE", "", "²", "SPRING 25", "x" * 5000, "' OR 1=1 --", "12345678901234567890123456789012345"]
)
def test_unknown_and_hostile_codes_are_refused_without_an_error(client, buyer, code):
    make_code()
    html = apply(client, make_order(buyer), code)
    assert "There is no such promo code." in html or "Enter the promo code." in html or "Field cannot be longer" in html


def test_once_per_member_and_the_use_limit(client, auth, buyer):
    make_code(max_uses=2)
    first = make_order(buyer)
    assert "The promo code is applied." in apply(client, first, "SPRING25")
    assert "You have already used this promo code." in apply(client, make_order(buyer), "SPRING25")
    auth.logout()
    second = make_user("second")
    auth.login("second")
    assert "The promo code is applied." in apply(client, make_order(second), "SPRING25")
    auth.logout()
    third = make_user("third")
    auth.login("third")
    assert "This promo code has been used up." in apply(client, make_order(third), "SPRING25")


def test_a_code_given_back_when_its_order_is_cancelled(client, buyer):
    promo = make_code(max_uses=1)
    order = make_order(buyer)
    apply(client, order, "SPRING25")
    client.post(f"/payments/orders/{order.id}/cancel", data={"csrf_token": csrf_token(client, "/payments/")})
    db.session.expire_all()
    assert db.session.get(PromoCode, promo.id).used_count == 0
    assert "The promo code is applied." in apply(client, make_order(buyer), "SPRING25")


def test_no_code_after_the_payment_has_started_and_one_per_order(client, buyer):
    make_code()
    make_code("OTHER", "fixed", 100)
    order = make_order(buyer)
    apply(client, order, "SPRING25")
    assert "This order already has a promo code." in apply(client, order, "OTHER")
    paying = make_order(buyer)
    client.post(f"/payments/orders/{paying.id}/pay", data={"csrf_token": csrf_token(client, "/payments/")})
    assert "A promo code can be added only before you pay." in apply(client, paying, "OTHER")
