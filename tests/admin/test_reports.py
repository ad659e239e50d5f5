"""The report form: signed-in users report content with a reason from a list and optional
words; reports reach the queue, which groups and filters them by reason, and merge."""

from sqlalchemy import select

from app.admin.forms import REASON_LABELS
from app.admin.services import file_report
from app.extensions import db as _db
from app.models import REPORT_REASONS, Report
from tests import factories
from tests.factories import make_user
from tests.profile.helpers import form_fields


def report(client, path: str, reason: str, category: str = "other"):
    return client.post(path, data={"category": category, "reason": reason, **form_fields(client, path)})


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
    response = report(client, f"/report/user/{target.id}", "Sends scam links", "spam")
    assert response.status_code == 302 and response.headers["Location"].endswith("/u/spammer")
    report(client, f"/report/user/{target.id}", "Again: fake car photos", "fraud")
    reports = db.session.scalars(select(Report)).all()
    assert len(reports) == 1
    assert "Sends scam links" in reports[0].reason and "fake car photos" in reports[0].reason
    assert reports[0].category == "fraud"  # the newer reason replaces the older one


def test_other_without_words_or_no_reason_at_all_is_refused_with_a_message(client, auth, db):
    target = make_user("spammer")
    make_user("buyer")
    auth.login("buyer")
    response = report(client, f"/report/user/{target.id}", "   ", "other")
    assert response.status_code == 200
    assert "Tell the moderators what is wrong." in response.get_data(as_text=True)
    for category in ("", "sold", "\x00", "x" * 300):  # no reason, one not offered for a member, nonsense
        response = report(client, f"/report/user/{target.id}", "Scam", category)
        assert response.status_code == 200
        assert "Choose a reason." in response.get_data(as_text=True) or "Not a valid choice" in response.get_data(
            as_text=True
        )
    assert db.session.scalar(select(Report)) is None


def test_a_reason_from_the_list_needs_no_words_and_sold_is_offered_for_listings(client, auth, db):
    seller = make_user("seller")
    listing = factories.make_listing(seller)
    make_user("buyer")
    auth.login("buyer")
    page = client.get(f"/report/listing/{listing.id}").get_data(as_text=True)
    for label in ("Spam or advertising", "Fraud", "Wrong information", "Offensive", "Already sold", "Other"):
        assert label in page
    assert "Already sold" not in client.get(f"/report/user/{seller.id}").get_data(as_text=True)
    response = report(client, f"/report/listing/{listing.id}", "", "sold")
    assert response.status_code == 302
    stored = db.session.scalar(select(Report))
    assert (stored.category, stored.reason, stored.target_type) == ("sold", "", "listing")


def test_every_reason_has_a_label_in_list_order():
    assert tuple(REASON_LABELS) == REPORT_REASONS


def test_the_queue_groups_by_reason_and_filters_by_one(client, auth, db):
    plain, other = make_user("plain"), make_user("other")
    fraudster, spammer, rude = make_user("fraudster"), make_user("spammer"), make_user("rude")
    file_report(plain, "user", fraudster.id, "Asks for prepayment", "fraud")
    file_report(other, "user", fraudster.id, "Fake photos", "fraud")
    file_report(plain, "user", spammer.id, "", "spam")
    file_report(other, "user", spammer.id, "Also rude", "offensive")
    file_report(plain, "user", rude.id, "Insults in chat", "offensive")
    _db.session.commit()
    make_user("moder", role="moderator")
    auth.login("moder")
    html = client.get("/admin/").get_data(as_text=True)
    # the filter names each reason with its open reports
    assert 'data-reason="fraud"' in html and 'Fraud <span class="badge text-bg-light">2</span>' in html
    assert 'Offensive <span class="badge text-bg-light">2</span>' in html
    # sections in list order, each thing under the reason most of its reports give
    sections = [part.split('"')[0] for part in html.split('data-reason-section="')[1:]]
    assert sections == ["spam", "fraud", "offensive"]
    fraud_section = html.split('data-reason-section="fraud"')[1].split("data-reason-section=")[0]
    assert "@fraudster" in fraud_section and "Fraud × 2" in fraud_section and "Asks for prepayment" in fraud_section
    filtered = client.get("/admin/?reason=offensive").get_data(as_text=True)
    assert "@rude" in filtered and "@spammer" in filtered and "@fraudster" not in filtered
    assert "Spam or advertising" in filtered  # the spammer's other report is still shown
    assert "@fraudster" in client.get("/admin/?reason=%00nonsense").get_data(as_text=True)  # ignored
    assert "No open reports with this reason." in client.get("/admin/?reason=sold").get_data(as_text=True)


def test_nobody_reports_themselves(client, auth, db):
    me = make_user("buyer")
    auth.login("buyer")
    response = report(client, f"/report/user/{me.id}", "me")
    assert "You cannot report your own content." in response.get_data(as_text=True)
    assert db.session.scalar(select(Report)) is None
