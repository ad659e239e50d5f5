"""The report form: signed-in users report content; reports reach the queue and merge."""

from sqlalchemy import select

from app.models import Report
from tests.conftest import csrf_token
from tests.factories import make_user


def report(client, path: str, reason: str):
    return client.post(path, data={"reason": reason, "csrf_token": csrf_token(client, path)})


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    target = make_user("spammer")
    response = client.get(f"/report/user/{target.id}")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_unknown_kind_or_missing_target_is_404(client, auth, db):
    make_user("buyer")
    auth.login("buyer")
    assert client.get("/report/spaceship/1").status_code == 404
    assert client.get("/report/user/999999").status_code == 404


def test_a_report_is_stored_and_duplicates_merge(client, auth, db):
    target = make_user("spammer")
    make_user("buyer")
    auth.login("buyer")
    page = client.get(f"/report/user/{target.id}").get_data(as_text=True)
    assert "@spammer" in page and "What is wrong with it?" in page
    response = report(client, f"/report/user/{target.id}", "Sends scam links")
    assert response.status_code == 302 and response.headers["Location"].endswith("/u/spammer")
    report(client, f"/report/user/{target.id}", "Again: fake car photos")
    reports = db.session.scalars(select(Report)).all()
    assert len(reports) == 1
    assert "Sends scam links" in reports[0].reason and "fake car photos" in reports[0].reason


def test_an_empty_reason_is_refused_with_a_message(client, auth, db):
    target = make_user("spammer")
    make_user("buyer")
    auth.login("buyer")
    response = report(client, f"/report/user/{target.id}", "   ")
    assert response.status_code == 200
    assert "Tell the moderators what is wrong." in response.get_data(as_text=True)
    assert db.session.scalar(select(Report)) is None


def test_nobody_reports_themselves(client, auth, db):
    me = make_user("buyer")
    auth.login("buyer")
    response = report(client, f"/report/user/{me.id}", "me")
    assert "You cannot report your own content." in response.get_data(as_text=True)
    assert db.session.scalar(select(Report)) is None
