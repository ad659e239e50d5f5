"""A listing's lifetime with the clock moved: the owner is told (site and mail, in their
language) three days before it expires, expired listings leave search and say they are no
longer on sale, the owner renews in one click; the periodic work is safe to run twice."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.time import utcnow
from app.extensions import db
from app.listings.lifecycle import expire_job, run_lifecycle
from app.models import Listing, Notification
from app.notifications.email import outbox
from tests import factories
from tests.listings.helpers import page_token


@pytest.fixture
def seller(app):
    return factories.make_user("seller", email_confirmed_at=utcnow(), locale="ru")


def run() -> dict[str, int]:
    done = run_lifecycle()
    db.session.commit()
    db.session.expire_all()
    return done


def notices(user_id: int) -> list[str]:
    return list(db.session.scalars(select(Notification.kind).where(Notification.user_id == user_id)))


def in_search(client, listing: Listing) -> bool:
    return f'data-listing-id="{listing.id}"' in client.get("/listings/").get_data(as_text=True)


def test_a_listing_expires_after_30_days_with_a_notice_3_days_before(app, client, seller, clock):
    car = factories.make_listing(seller)
    archived = factories.make_listing(seller, status="archived")
    outbox.clear()
    assert run() == {"noticed": 0, "expired": 0, "promotions_ended": 0}

    clock.move(days=26, hours=23)  # 3 days and an hour left: not yet
    assert run()["noticed"] == 0
    clock.move(hours=2)
    assert run()["noticed"] == 1
    assert run()["noticed"] == 0  # a second run tells nobody twice
    assert notices(seller.id) == ["listing_expiring"]
    mail = outbox[-1]
    assert mail["To"] == "seller@example.com" and "Toyota Camry 2018" in mail["Subject"]
    assert "Уйдёт из поиска" in mail.get_content() and f"/listings/{car.id}#renew" in mail.get_content()

    clock.move(days=3)
    assert run() == {"noticed": 0, "expired": 1, "promotions_ended": 0}
    assert run()["expired"] == 0
    assert db.session.get(Listing, car.id).status == "expired"
    assert db.session.get(Listing, archived.id).status == "archived"
    assert sorted(notices(seller.id)) == ["listing_expired", "listing_expiring"]
    assert not in_search(client, car)
    page = client.get(f"/listings/{car.id}").get_data(as_text=True)
    assert "This car is no longer on sale." in page and 'id="renew-button"' not in page


def test_the_owner_renews_in_one_click_from_the_notification(client, auth, seller, clock):
    car = factories.make_listing(seller)
    bumped = car.bumped_at
    clock.move(days=31)
    run()
    assert db.session.get(Listing, car.id).status == "expired"

    auth.login("seller")
    listing_page = client.get(f"/listings/{car.id}").get_data(as_text=True)
    assert "Эта машина больше не продаётся." in listing_page and 'id="renew-button"' in listing_page  # seller reads ru
    html = client.get("/notifications/?lang=kk").get_data(as_text=True)
    assert "Хабарландыруыңыздың мерзімі өтті" in html  # "your listing has expired", in Kazakh
    assert re.findall(r'<form method="post" action="(/listings/\d+/renew)"', html) == [f"/listings/{car.id}/renew"]
    token = page_token(client, "/notifications/")
    response = client.post(f"/listings/{car.id}/renew", data={"csrf_token": token, "confirm": "1"})
    assert "Ұзартылды: хабарландыру" in client.get(response.headers["Location"]).get_data(True)  # now in kk

    db.session.expire_all()
    renewed = db.session.get(Listing, car.id)
    assert renewed.status == "active" and renewed.expiry_noticed_at is None
    assert timedelta(days=29, hours=23) < renewed.expires_at - utcnow() <= timedelta(days=30)
    assert in_search(client, renewed)
    assert renewed.bumped_at == bumped  # a renewal is not a raise: it keeps its place in "newest"
    clock.move(days=27, hours=1)
    assert run()["noticed"] == 1  # the new lifetime gets its own notice


def test_notices_can_be_switched_off_and_mail_follows_the_setting(client, auth, seller, clock):
    auth.login("seller")
    token = page_token(client, "/notifications/settings")
    client.post(
        "/notifications/settings",
        data={"csrf_token": token, "listing_expiring_enabled": "y", "listing_expired_enabled": "y"},
    )
    car = factories.make_listing(seller)
    outbox.clear()
    clock.move(days=28)
    assert run()["noticed"] == 1
    assert notices(seller.id) == ["listing_expiring"] and outbox == []
    assert db.session.get(Listing, car.id).status == "active"


def test_the_command_and_the_scheduled_job_run_the_same_work(runner, seller, clock):
    car = factories.make_listing(seller)
    clock.move(days=31)
    result = runner.invoke(args=["listings", "expire"])
    assert result.exit_code == 0, result.output
    assert "0 owners told of an expiry, 1 listings expired, 0 Top slots ended" in result.output
    db.session.expire_all()
    assert db.session.get(Listing, car.id).status == "expired"
    assert expire_job() == "noticed 0, expired 0, promotions_ended 0"
