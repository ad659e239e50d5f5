"""The payment flow in a real Chromium against gunicorn: checkout → the sandbox's page →
Pay → back on the receipt, paid, with the fulfilment run once (in the server process);
the admin's pages on a phone; and simultaneous callbacks against the same server."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from app import payments
from app.extensions import db
from tests.conftest import LiveServer, browser_pages
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.payments.helpers import LOG_VARIABLE, callback_for, make_order, register_test_product

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shop(app, tmp_path_factory):
    """A server with the test product; its fulfilment writes to `log`."""
    log = tmp_path_factory.mktemp("payments") / "fulfilled.log"
    log.touch()
    server = LiveServer(app_module="tests.payments.live_app:app", **{LOG_VARIABLE: str(log)})
    yield server, log
    server.stop()


@pytest.fixture
def open_page(app, browser, shop):
    register_test_product(app)
    with browser_pages(browser, shop[0].url) as open_:
        yield open_


def sign_in(page, username: str) -> None:
    """Through the real form, in whatever language the page is in."""
    page.goto("/auth/login")
    page.locator("#login").fill(username)
    page.locator("#password").fill(DEFAULT_PASSWORD)
    page.locator("#submit").click()
    expect(page.locator(f'body[data-username="{username}"]')).to_be_attached()


def screenshot(page, name: str) -> None:
    """Saved where SCREENSHOT_DIR points (to look at the phone layout), else nowhere."""
    if folder := os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=str(Path(folder) / f"payments-{name}.png"), full_page=True)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_pay_through_the_sandbox_on_a_phone(open_page, shop):
    _, log = shop
    buyer = make_user("buyer")
    order = make_order(buyer, amount=payments.tenge(7000), target_id=77)
    page = open_page(phone=True)
    sign_in(page, "buyer")

    page.goto(f"/payments/orders/{order.id}")
    expect(page.get_by_role("heading", name="Checkout")).to_be_visible()
    expect(page.locator("[data-total]")).to_have_text("7,000\u00a0₸")
    assert fits_the_screen(page)
    screenshot(page, "checkout-phone")
    page.locator("#checkout-pay").click()

    expect(page.get_by_role("heading", name="Sandbox payment page")).to_be_visible()
    assert fits_the_screen(page)
    screenshot(page, "sandbox-phone")
    sandbox_url = page.url
    page.locator("#sandbox-pay").click()

    expect(page.get_by_role("heading", name="Receipt")).to_be_visible()
    expect(page.locator('[data-status="paid"]')).to_be_visible()
    expect(page.locator("[data-fulfilled]")).to_contain_text("Activated")
    assert fits_the_screen(page)
    screenshot(page, "receipt-phone")
    assert log.read_text().splitlines() == [f"fulfil {order.lines[0].id} 77"]

    # Pay again on the sandbox's page: the callback repeats, the order is paid already, nothing runs twice.
    page.goto(sandbox_url)
    page.locator("#sandbox-pay").click()
    expect(page.locator('[data-status="paid"]')).to_be_visible()
    assert log.read_text().splitlines() == [f"fulfil {order.lines[0].id} 77"]

    page.goto("/payments/")
    expect(page.locator(f'[data-order-id="{order.id}"] [data-status="paid"]')).to_be_visible()
    assert fits_the_screen(page)
    screenshot(page, "history-phone")
    assert page.errors == []


def test_a_declined_payment_in_russian(open_page, shop):
    _, log = shop
    before = log.read_text()
    order = make_order(make_user("buyer"), amount=payments.tenge(1500))
    page = open_page(phone=True, locale="ru-RU")
    sign_in(page, "buyer")
    page.goto(f"/payments/orders/{order.id}")
    expect(page.locator("[data-total]")).to_have_text("1\u00a0500\u00a0₸")
    page.locator("#checkout-pay").click()
    page.locator("#sandbox-fail").click()
    expect(page.locator('[data-status="failed"]')).to_have_text("Оплата не прошла")
    screenshot(page, "failed-phone-ru")
    assert log.read_text() == before
    assert page.errors == []


def test_the_admin_refunds_and_creates_a_promo_code_on_a_phone(open_page, shop):
    order = make_order(make_user("buyer"), amount=payments.tenge(2000))
    order.provider, order.provider_ref = "sandbox", f"sbx_phone_{order.id}"
    db.session.commit()
    body, headers = callback_for(order)  # the payment system's server tells the site
    answer = requests.post(shop[0].url + "/payments/callback/sandbox", data=body, headers=headers, timeout=10)
    assert answer.json() == {"ok": True, "result": "applied"}
    make_user("boss", role="admin")
    page = open_page(phone=True)
    sign_in(page, "boss")
    page.goto("/payments/admin/orders")
    row = page.locator(f'[data-order-id="{order.id}"]')
    expect(row.locator('[data-status="paid"]')).to_be_visible()
    assert fits_the_screen(page)
    screenshot(page, "admin-orders-phone")
    row.get_by_role("button", name="Refund").click()
    expect(page.locator("body")).to_contain_text(f"Order {order.id} is refunded.")
    expect(page.locator(f'[data-order-id="{order.id}"] [data-status="refunded"]')).to_be_visible()

    page.get_by_role("link", name="Promo codes").click()
    page.get_by_label("Code", exact=True).fill("spring-26")
    page.get_by_label("Size of the discount").fill("15")
    page.get_by_label("Uses in all").fill("100")
    page.get_by_role("button", name="Create promo code").click()
    expect(page.locator('[data-promo="SPRING-26"]')).to_contain_text("uses: 0 of 100")
    assert fits_the_screen(page)
    screenshot(page, "admin-promo-codes-phone")
    assert page.errors == []


def test_simultaneous_paid_callbacks_activate_once(shop):
    """A provider retrying while its first callback is still being handled: eight copies at
    once reach gunicorn; the guarded status change lets exactly one of them fulfil."""
    server, log = shop
    before = log.read_text().splitlines()
    order = make_order(make_user("buyer"), amount=payments.tenge(3000), target_id=5)
    order.provider, order.provider_ref = "sandbox", f"sbx_race_{order.id}"
    db.session.commit()
    body, headers = callback_for(order)

    def send(_):
        return requests.post(server.url + "/payments/callback/sandbox", data=body, headers=headers, timeout=30)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(send, range(8)))
    assert sorted(answer.json()["result"] for answer in answers) == ["applied"] + ["repeated"] * 7
    assert log.read_text().splitlines()[len(before) :] == [f"fulfil {order.lines[0].id} 5"]
