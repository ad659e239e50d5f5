"""Support tickets (issue 17 item 6): the contact form for guests and members, the staff's
answer from /admin/support, notifications and mails on both sides, the status, the rate
limit, double submits, and nothing lost when the mail cannot be sent."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.core.time import utcnow
from app.extensions import db
from app.models import Notification, SupportMessage, SupportTicket
from app.notifications.email import outbox
from tests import factories
from tests.conftest import csrf_token, free_port
from tests.profile.helpers import form_fields


@pytest.fixture(autouse=True)
def empty_outbox():
    outbox.clear()


@pytest.fixture
def staff(app):
    return factories.make_user("marat", role="moderator", email_confirmed_at=utcnow())


def write_to_support(client, **fields):
    data = {**form_fields(client, "/support/"), "subject": "Cannot publish my car"}
    data["body"] = "The Publish button does nothing."
    data.update(fields)
    return client.post("/support/", data=data)


def mails_to(address: str) -> list:
    return [mail for mail in outbox if mail["To"] == address]


def staff_answers(client, ticket_id: int, body: str, **extra):
    path = f"/admin/support/{ticket_id}"
    return client.post(path, data={**form_fields(client, path), "body": body, **extra}, follow_redirects=True)


def test_a_guest_writes_staff_answer_and_the_guest_reads_it_at_the_secret_link(client, auth, staff):
    page = client.get("/support/").get_data(as_text=True)
    assert "Your name" in page and "Email for our answer" in page
    response = write_to_support(client, name="Aliya", email="aliya@example.kz")
    assert response.status_code == 302
    link = response.headers["Location"]
    assert re.fullmatch(r"/support/t/[A-Za-z0-9_-]{32}", link)
    ticket = db.session.scalar(select(SupportTicket))
    assert (ticket.status, ticket.email, ticket.user_id) == ("open", "aliya@example.kz", None)
    page = client.get(link).get_data(as_text=True)
    assert "Keep this page" in page and "The Publish button does nothing." in page
    # the staff hear of it: a notification and a mail
    note = db.session.scalar(select(Notification).where(Notification.user_id == staff.id))
    assert note.kind == "support_ticket" and note.payload["url"] == f"/admin/support/{ticket.id}"
    assert "Cannot publish my car" in mails_to("marat@example.com")[0]["Subject"]

    auth.login("marat")
    queue = client.get("/admin/support/").get_data(as_text=True)
    assert "Cannot publish my car" in queue and "Aliya" in queue
    page = staff_answers(client, ticket.id, "Add a photo first, then press Publish.").get_data(as_text=True)
    assert "Your answer is sent." in page
    db.session.expire_all()
    assert db.session.get(SupportTicket, ticket.id).status == "answered"
    mail = mails_to("aliya@example.kz")[0]
    assert "Add a photo first" in mail.get_content() and f"http://localhost:5000{link}" in mail.get_content()
    auth.logout()

    page = client.get(link).get_data(as_text=True)
    assert "Add a photo first, then press Publish." in page and "Answered" in page
    more = {**form_fields(client, link), "body": "It works now, thank you!"}
    assert client.post(link, data=more).status_code == 302
    db.session.expire_all()
    assert db.session.get(SupportTicket, ticket.id).status == "open"  # the staff hear of it again
    assert db.session.scalar(select(func.count()).where(Notification.user_id == staff.id)) == 2
    client.post(f"{link}/close", data={"csrf_token": csrf_token(client, link)})
    db.session.expire_all()
    assert db.session.get(SupportTicket, ticket.id).status == "closed"
    assert client.get("/support/t/" + "x" * 32).status_code == 404


def test_a_member_writes_staff_answer_and_the_member_is_notified_and_mailed(client, auth, staff):
    member = factories.make_user("buyer", email_confirmed_at=utcnow())
    auth.login("buyer")
    page = client.get("/support/").get_data(as_text=True)
    assert "Your name" not in page and "buyer@example.com" in page
    response = write_to_support(client)
    ticket = db.session.scalar(select(SupportTicket))
    assert response.headers["Location"] == f"/support/tickets/{ticket.id}"
    assert (ticket.user_id, ticket.email) == (member.id, "buyer@example.com")
    auth.logout()

    auth.login("marat")
    staff_answers(client, ticket.id, "Fixed on our side.", close="y")
    db.session.expire_all()
    assert db.session.get(SupportTicket, ticket.id).status == "closed"
    auth.logout()

    note = db.session.scalar(select(Notification).where(Notification.user_id == member.id))
    assert note.kind == "support_answer" and note.payload["url"] == f"/support/tickets/{ticket.id}"
    mail = mails_to("buyer@example.com")[0]
    assert "Fixed on our side." in mail.get_content()
    assert f"http://localhost:5000/support/tickets/{ticket.id}" in mail.get_content()
    auth.login("buyer")
    assert "Closed" in client.get("/support/tickets").get_data(as_text=True)
    assert "Fixed on our side." in client.get(f"/support/tickets/{ticket.id}").get_data(as_text=True)
    assert "Support answered your request" in client.get("/notifications/").get_data(as_text=True)
    auth.logout()

    factories.make_user("stranger")
    auth.login("stranger")
    assert client.get(f"/support/tickets/{ticket.id}").status_code == 404
    assert client.get(f"/support/t/{ticket.access_key}").status_code == 404  # a member's ticket needs their sign-in


def test_only_staff_open_the_support_desk(client, auth, staff):
    assert client.get("/admin/support/").status_code == 302  # to sign in
    factories.make_user("buyer")
    auth.login("buyer")
    assert client.get("/admin/support/").status_code == 403
    assert client.get("/admin/support/1").status_code == 403


def test_the_form_refuses_missing_fields_forged_posts_and_bad_addresses(client, staff):
    response = write_to_support(client, name="", email="not an address", body="")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Tell us your name." in page and "Enter a valid email address." in page and "Write your message." in page
    forged = client.post("/support/", data={"subject": "x", "body": "y", "name": "n", "email": "a@b.kz"})
    assert forged.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(SupportTicket)) == 0


def test_a_double_submit_makes_one_ticket_and_lands_on_it(client, staff):
    fields = {**form_fields(client, "/support/"), "name": "Aliya", "email": "aliya@example.kz", "subject": "Hi"}
    fields["body"] = "Help"
    first, second = client.post("/support/", data=fields), client.post("/support/", data=fields)
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(SupportTicket)) == 1
    assert db.session.scalar(select(func.count()).select_from(SupportMessage)) == 1


def test_guests_are_rate_limited_per_address(client, app, staff):
    app.config["SUPPORT_RATE_LIMIT"] = "2 per hour"
    try:
        for number in range(2):
            assert write_to_support(client, name="Bot", email="bot@example.kz", subject=f"#{number}").status_code == 302
        assert write_to_support(client, name="Bot", email="bot@example.kz").status_code == 429
        fields = {**form_fields(client, "/support/"), "name": "Aliya", "email": "a@example.kz", "subject": "Hi"}
        fields["body"] = "Help"
        elsewhere = client.post("/support/", data=fields, environ_base={"REMOTE_ADDR": "10.1.2.3"})
        assert elsewhere.status_code == 302  # another address has its own allowance
    finally:
        app.config["SUPPORT_RATE_LIMIT"] = "5 per hour"
    assert db.session.scalar(select(func.count()).select_from(SupportTicket)) == 3


@pytest.mark.logs_errors("no mail server listens: the failed delivery is logged with its traceback")
def test_nothing_is_lost_when_the_mail_cannot_be_sent(client, auth, app, staff):
    closed_port = free_port()  # nothing listens there: every SMTP connection is refused
    app.config.update(MAIL_TO_LOG=False, MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port, MAIL_USE_TLS=False)
    try:
        link = write_to_support(client, name="Aliya", email="aliya@example.kz").headers["Location"]
        ticket = db.session.scalar(select(SupportTicket))
        auth.login("marat")
        assert "Your answer is sent." in staff_answers(client, ticket.id, "Stored anyway.").get_data(as_text=True)
        auth.logout()
    finally:
        app.config.update(MAIL_TO_LOG=True, MAIL_SERVER="", MAIL_PORT=587, MAIL_USE_TLS=True)
    page = client.get(link).get_data(as_text=True)
    assert "The Publish button does nothing." in page and "Stored anyway." in page
    assert db.session.scalar(select(Notification.kind).where(Notification.user_id == staff.id)) == "support_ticket"
