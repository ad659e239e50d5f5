"""The job queue with a real worker process on the real Redis: mails queued by real pages
wait while no worker runs and go out when one starts; a mail server's "try later" is
retried; a rolled-back change queues nothing; without a queue jobs run after the commit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.after_commit import after_commit
from app.core.jobs import enqueue
from app.core.time import utcnow
from app.extensions import db
from app.models import Notification
from app.notifications.email import deliver_mail, outbox, send_email
from tests import factories
from tests.conftest import csrf_token, free_port
from tests.jobs.workers import SmtpSink, wait_for


def ask_reset(client, email: str) -> None:
    response = client.post("/auth/reset", data={"csrf_token": csrf_token(client, "/auth/reset"), "email": email})
    assert response.status_code == 302


@pytest.mark.live  # worker and scheduler processes read what the test committed
def test_a_mail_queued_while_no_worker_runs_goes_out_when_one_starts(client, queue, sink):
    factories.make_user("buyer", email="buyer@example.com")
    worker = queue.worker(**sink.env)
    try:
        ask_reset(client, "buyer@example.com")
        assert wait_for(lambda: len(sink.mails()) == 1), worker.output()
    finally:
        worker.stop()  # the worker restarts: for a while none runs
    assert not worker.running()

    ask_reset(client, "buyer@example.com")
    assert queue.waiting() == 1 and len(sink.mails()) == 1  # kept in Redis, not lost, not sent

    worker = queue.worker(**sink.env)
    try:
        assert wait_for(lambda: len(sink.mails()) == 2), worker.output()
    finally:
        worker.stop()
    mail = sink.mails()[1]
    assert mail["To"] == "buyer@example.com" and "/auth/reset/" in mail.get_content()
    assert queue.waiting() == 0


@pytest.mark.live  # worker and scheduler processes read what the test committed
def test_a_mail_server_that_says_try_later_gets_the_mail_on_a_retry(queue):
    sink = SmtpSink(refuse_first=2)  # "451 try again later", twice
    worker = queue.worker(**sink.env)
    try:
        enqueue(deliver_mail, "seller@example.com", "Your car", "Someone wants it.")
        db.session.commit()
        assert wait_for(lambda: len(sink.mails()) == 1, timeout=30), worker.output()
        assert sink.refusals() == 2  # two attempts answered 451, the third delivered
        assert sink.mails()[0]["Subject"] == "Your car"
    finally:
        worker.stop()
        sink.stop()


def change(user, about: str) -> None:
    user.about = about
    db.session.flush()  # a transaction is open: the job waits for its end


def test_a_rolled_back_change_queues_nothing(queue):
    buyer = factories.make_user("buyer")
    change(buyer, "rolled back")
    enqueue(deliver_mail, "buyer@example.com", "Never", "This change is rolled back.")
    db.session.rollback()
    assert queue.waiting() == 0
    change(buyer, "committed")
    enqueue(deliver_mail, "buyer@example.com", "Kept", "This one is committed.")
    db.session.commit()
    assert queue.waiting() == 1


def test_without_a_queue_a_job_runs_right_after_the_commit_and_not_before(app):
    buyer = factories.make_user("buyer")
    outbox.clear()
    change(buyer, "committed")
    enqueue(deliver_mail, "buyer@example.com", "After the commit", "Hello.")
    assert outbox == []
    db.session.commit()
    assert [m["Subject"] for m in outbox] == ["After the commit"]


def test_a_job_queued_by_an_after_commit_hook_is_not_left_waiting(app):
    buyer = factories.make_user("buyer")
    outbox.clear()
    change(buyer, "committed")
    after_commit(
        "test.mail", "buyer@example.com", deliver=lambda tos: [send_email(to, "From a hook", "Hi.") for to in tos]
    )
    db.session.commit()
    assert [m["Subject"] for m in outbox] == ["From a hook"]


def test_a_job_takes_plain_values_only(app):
    buyer = factories.make_user("buyer")
    with pytest.raises(TypeError):
        enqueue(deliver_mail, buyer, "an ORM object", "is refused where it is queued")
    db.session.rollback()


@pytest.mark.live  # worker and scheduler processes read what the test committed
def test_a_saved_search_alert_and_its_mail_are_jobs_run_by_the_worker(client, queue, sink):
    """Publishing a car queues the alert; the worker notifies the searcher and mails them."""
    from app.listings.filters import Filters
    from app.listings.saved_searches import save_search
    from app.notifications.services import save_settings

    buyer = factories.make_user("buyer", email="buyer@example.com", email_confirmed_at=utcnow())
    save_search(buyer, Filters.parse({}), "Everything")
    save_settings(buyer.id, {"saved_search": (True, True)})
    db.session.commit()
    listing = factories.make_listing(factories.make_user("seller"))
    assert db.session.scalar(select(Notification)) is None  # queued, not done in the request
    db.session.rollback()
    worker = queue.worker(**sink.env)
    try:
        assert wait_for(lambda: len(sink.mails()) == 1, timeout=30), worker.output()
    finally:
        worker.stop()
    notice = db.session.scalar(select(Notification).where(Notification.user_id == buyer.id))
    assert notice.kind == "saved_search" and notice.payload["url"] == f"/listings/{listing.id}"
    assert sink.mails()[0]["To"] == "buyer@example.com"
    assert listing.title in sink.mails()[0].get_content()


@pytest.mark.logs_errors("Redis is unreachable on purpose: the fallback logs why it runs the job in-process")
def test_when_redis_cannot_take_a_job_it_runs_in_the_process_instead(app, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")  # nobody listens
    buyer = factories.make_user("buyer")
    outbox.clear()
    change(buyer, "committed")
    enqueue(deliver_mail, "buyer@example.com", "Late rather than lost", "Hello.")
    db.session.commit()
    assert [m["Subject"] for m in outbox] == ["Late rather than lost"]
