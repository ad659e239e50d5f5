"""The whole path in Russian, in two real Chromium contexts set to ru-RU and Asia/Almaty: a
seller registers through the Russian form and publishes a listing with a photo, a buyer on a
phone presses «Написать» and writes, the seller sees the message arrive live — and the time
chat.js shows next to it is the time the server shows after a reload, on the Almaty clock."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests import factories, images

pytestmark = pytest.mark.browser

ALMATY = ZoneInfo("Asia/Almaty")
NBSP = "\u00a0"
PASSWORD = "quiet-harbour-71"


def russian_page(new_page, phone: bool = False):
    """A fresh person whose browser speaks Russian and lives in Almaty."""
    return new_page(phone=phone, locale="ru-RU", timezone_id="Asia/Almaty")


def register_in_russian(page, username: str) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.get_by_role("link", name="Регистрация").click()
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Эл. почта").fill(f"{username}@example.com")
    page.get_by_label("Пароль", exact=True).fill(PASSWORD)
    page.get_by_label("Повторите пароль").fill(PASSWORD)
    page.get_by_role("button", name="Зарегистрироваться").click()
    expect(page.locator("body")).to_contain_text(f"Добро пожаловать на Garage, {username}!")


def sign_in_in_russian(page, username: str, name: str) -> None:
    page.goto("/auth/login")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.get_by_label("Имя пользователя или эл. почта").fill(username)
    page.get_by_label("Пароль").fill(factories.DEFAULT_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.locator("body")).to_contain_text(f"С возвращением, {name}!")


def publish_a_camry(page) -> str:
    """The sell form in Russian, a photo, Опубликовать; returns the listing's address."""
    page.get_by_role("link", name="Подать объявление").first.click()
    page.get_by_label("Марка", exact=True).select_option(label="Toyota")
    page.get_by_label("Модель", exact=True).select_option(label="Camry")  # filled by catalog.js
    page.get_by_label("Год выпуска", exact=True).fill("2019")
    page.get_by_label("Поколение", exact=True).select_option(label="XV70 (2017–…)")
    page.get_by_label("Пробег, км").fill("64000")
    page.get_by_label("Цена", exact=True).fill("13900000")
    for label, option in (
        ("Кузов", "Седан"),
        ("Топливо", "Бензин"),
        ("Коробка передач", "Автомат"),
        ("Привод", "Передний привод"),
        ("Руль", "Слева"),
        ("Состояние", "С пробегом"),
        ("Регион", "Almaty"),  # the test catalogue's places have no Russian names
    ):
        page.get_by_label(label, exact=True).select_option(label=option)
    page.get_by_label("Город", exact=True).select_option(label="Almaty")
    page.get_by_role("button", name="Сохранить и добавить фото").click()
    page.wait_for_url("**/edit#photos")
    expect(page.locator("#publish-button")).to_be_disabled()  # a draft needs a photo
    page.locator("#photo-input").set_input_files(
        [{"name": "front.jpg", "mimeType": "image/jpeg", "buffer": images.jpeg_with_gps()}]
    )
    expect(page.locator("#photo-list .photo-item")).to_have_count(1)
    page.get_by_role("button", name="Опубликовать").click()
    expect(page.locator("body")).to_contain_text("Ваше объявление опубликовано.")
    page.wait_for_url(re.compile(r"/listings/\d+$"))
    return page.url


def test_register_sell_and_chat_in_russian_with_the_same_time_live_and_after_a_reload(new_page):
    factories.make_catalog()
    factories.make_user("buyer", display_name="Бауыржан")

    seller = russian_page(new_page)
    register_in_russian(seller, "aidos_auto")
    listing_url = publish_a_camry(seller)
    # Russian grouping: non-breaking spaces between the groups and before the tenge sign
    price = seller.locator("#listing-price")
    expect(price).to_be_visible()
    assert price.text_content().strip() == f"13{NBSP}900{NBSP}000{NBSP}₸"

    buyer = russian_page(new_page, phone=True)
    sign_in_in_russian(buyer, "buyer", "Бауыржан")
    buyer.goto(listing_url)
    expect(buyer.locator("html")).to_have_attribute("lang", "ru")
    assert buyer.locator("#listing-price").text_content().strip() == f"13{NBSP}900{NBSP}000{NBSP}₸"
    buyer.get_by_role("link", name="Написать", exact=True).click()
    buyer.wait_for_url("**/chat/**")
    expect(buyer.get_by_label("Ваше сообщение")).to_be_visible()

    # the seller has the conversation open, connected, before the message is written
    seller.goto("/chat/buyer")
    expect(seller.locator("html")).to_have_attribute("lang", "ru")
    seller.wait_for_function("window.garage && window.garage.socket && window.garage.socket.connected")
    expect(seller.locator(".chat-msg")).to_have_count(0)

    before = datetime.now(ALMATY)
    buyer.get_by_label("Ваше сообщение").fill("Здравствуйте! Камри ещё продаётся?")
    buyer.get_by_role("button", name="Отправить", exact=True).click()
    received = seller.locator(".chat-msg.theirs", has_text="Здравствуйте! Камри ещё продаётся?")
    expect(received).to_have_count(1)  # arrived live: the page was not reloaded
    after = datetime.now(ALMATY)
    live_time = received.locator("time").text_content().strip()

    seller.reload()
    reloaded = seller.locator(".chat-msg.theirs", has_text="Здравствуйте! Камри ещё продаётся?")
    expect(reloaded).to_have_count(1)
    server_time = reloaded.locator("time").text_content().strip()

    assert re.fullmatch(r"\d\d:\d\d", live_time), live_time  # 24-hour clock, as in Russia and Kazakhstan
    assert live_time == server_time
    # the Almaty clock, whatever minute it rolled over to while the message travelled
    minutes = int((after - before).total_seconds() // 60) + 1
    allowed = {(before + timedelta(minutes=step)).strftime("%H:%M") for step in range(minutes + 1)}
    assert live_time in allowed, (live_time, allowed)
    assert seller.errors == [] and buyer.errors == []
