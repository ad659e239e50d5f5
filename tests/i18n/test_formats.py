"""Local formats as a reader sees them: prices, mileage, engine, dates in Asia/Almaty without
seconds, relative times, plural counts, phones; and a mail in its recipient's language."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from app.core.time import utcnow
from app.i18n.formats import (
    format_datetime,
    format_engine_volume,
    format_mileage,
    format_price,
    format_time_short,
    timeago,
)
from app.i18n.phone import format_phone, normalize_phone
from app.notifications.email import outbox
from tests.conftest import csrf_token
from tests.factories import make_listing, make_user

NBSP = "\u00a0"
UTC_MOMENT = datetime(2026, 12, 1, 10, 13, 38)  # 15:13 in Almaty (UTC+5)


@pytest.mark.parametrize(
    ("lang", "price", "mileage", "engine", "when", "clock"),
    [
        ("ru", f"13{NBSP}900{NBSP}000{NBSP}₸", f"84{NBSP}000 км", "2,5 л", "1 дек. 2026\u202fг., 15:13", "15:13"),
        ("kk", f"13{NBSP}900{NBSP}000{NBSP}₸", f"84{NBSP}000 км", "2,5 л", "2026\u202fж. 01 жел., 15:13", "15:13"),
        ("en", f"13,900,000{NBSP}₸", "84,000 km", "2.5 L", "Dec 1, 2026, 3:13\u202fPM", "3:13\u202fPM"),
    ],
)
def test_numbers_and_dates_follow_the_language_and_the_site_zone(app, lang, price, mileage, engine, when, clock):
    with app.test_request_context(f"/?lang={lang}"):
        assert format_price(13_900_000) == price
        assert format_mileage(84_000) == mileage
        assert format_engine_volume(2.5) == engine
        assert format_datetime(UTC_MOMENT) == when  # no seconds, Asia/Almaty
        assert format_time_short("2026-12-01T10:13:38.123456Z") == clock == format_time_short(UTC_MOMENT)


@pytest.mark.parametrize(("lang", "text"), [("ru", "3 минуты назад"), ("kk", "3 минут бұрын"), ("en", "3 minutes ago")])
def test_relative_times(app, lang, text):
    with app.test_request_context(f"/?lang={lang}"):
        assert timeago(utcnow() - timedelta(minutes=3, seconds=5)) == text


def test_a_listing_shows_the_same_grouped_price_and_mileage_on_its_page_and_its_card(client, db):
    listing = make_listing(make_user("seller"), price=13_900_000, mileage_km=84_000)
    page = client.get(f"/listings/{listing.id}?lang=ru").get_data(as_text=True)
    search = client.get("/listings/?lang=ru").get_data(as_text=True)
    for html in (page, search):
        assert f"13{NBSP}900{NBSP}000{NBSP}₸" in html and f"84{NBSP}000 км" in html
        shown = re.sub(r'<script type="application/ld\+json".*?</script>', "", html, flags=re.S)  # data for machines
        assert "13,900,000" not in shown and "84000" not in shown


def test_russian_plurals_and_grouping_in_counts(client, db):
    seller = make_user("seller")
    for _ in range(2):
        make_listing(seller)
    assert "2 машины" in client.get("/listings/?lang=ru").get_data(as_text=True)


@pytest.mark.parametrize("typed", ["8 701 123 45 67", "+7 (701) 123-45-67", "87011234567", "+7 701 123 45 67"])
def test_kazakh_phones_are_stored_in_one_form_and_shown_grouped(typed):
    assert normalize_phone(typed) == "+77011234567"
    assert format_phone(normalize_phone(typed)) == "+7 701 123 45 67"


@pytest.mark.parametrize("typed", ["+7 495 123 45 67", "12345", "call me", "+7 701 123 45 67 89 00", "٠٧٠١"])
def test_numbers_that_are_not_kazakh_phones_are_refused(typed):
    assert normalize_phone(typed) is None


def test_a_phone_typed_the_local_way_is_saved_and_shown_in_the_kazakh_format(client, auth, db):
    make_user("buyer")
    make_user("seller", phone="", phone_visible=True)
    auth.login("seller")
    data = {"display_name": "", "city": "", "about": "", "phone": "8 701 123-45-67", "phone_visible": "y",
            "csrf_token": csrf_token(client, "/settings")}  # fmt: skip
    assert client.post("/settings", data=data).status_code == 302
    assert "+7 701 123 45 67" in client.get("/u/seller").get_data(as_text=True)


def test_a_mail_goes_out_in_the_recipients_language_not_the_senders(client, db):
    make_user("kazakh", email="kz@example.com", locale="kk")
    outbox.clear()
    token = csrf_token(client, "/auth/reset?lang=en")
    client.post("/auth/reset?lang=en", data={"email": "kz@example.com", "csrf_token": token})
    assert len(outbox) == 1
    mail = outbox[0]
    assert mail["Subject"] != "Reset your Garage password"
    assert "құпия" in (mail["Subject"] + mail.get_content()).lower()
