"""A ban takes effect at once: on the next page, at sign-in, and on open sockets."""

from sqlalchemy import select

from app.admin import services
from app.extensions import db as _db
from app.models import User
from tests.conftest import csrf_token, form_tokens
from tests.factories import make_user


def ban_through_admin(app, user_id: int, duration: str = "forever", reason: str = "Selling stolen cars") -> None:
    """A moderator bans from another browser (a separate test client)."""
    make_user("moder", role="moderator")
    moderator = app.test_client()
    token = csrf_token(moderator, "/auth/login")
    moderator.post("/auth/login", data={"login": "moder", "password": "correct-horse-1", "csrf_token": token})
    tokens = form_tokens(moderator, f"/admin/users/{user_id}/ban")
    response = moderator.post(f"/admin/users/{user_id}/ban", data={"duration": duration, "reason": reason, **tokens})
    assert response.status_code == 302


def test_a_banned_user_is_signed_out_at_once_and_told_why(app, client, auth, db):
    user = make_user("crook")
    auth.login("crook")
    assert "crook" in client.get("/").get_data(as_text=True)
    ban_through_admin(app, user.id, "30", "Selling stolen cars")
    html = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "This account is banned until" in html and "Selling stolen cars" in html
    assert 'data-username="crook"' not in html
    # cannot reach signed-in pages or post anything
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_ban_for_good_says_so_at_sign_in(client, auth, db):
    user = make_user("crook")
    services.ban_user(user, None, "Fraud")
    _db.session.commit()
    html = auth.login("crook").get_data(as_text=True)
    assert "This account is banned for good. Reason: Fraud" in html


def test_a_ban_disconnects_the_users_sockets(app, client, auth, db, socketio_client):
    user = make_user("crook")
    bystander = make_user("bystander")
    auth.login("crook")
    socket = socketio_client()
    assert socket.is_connected()
    other_client = app.test_client()
    token = csrf_token(other_client, "/auth/login")
    other_client.post("/auth/login", data={"login": "bystander", "password": "correct-horse-1", "csrf_token": token})
    other_socket = socketio_client(other_client)
    assert other_socket.is_connected()
    ban_through_admin(app, user.id)
    assert not socket.is_connected()
    assert other_socket.is_connected()
    # and a new socket of the banned session is refused
    assert not socketio_client().is_connected()
    assert _db.session.scalar(select(User).where(User.id == bystander.id)).is_banned is False


def test_a_rolled_back_ban_disconnects_nobody(app, client, auth, db, socketio_client):
    user = make_user("crook")
    auth.login("crook")
    socket = socketio_client()
    services.ban_user(user, None, "oops")
    _db.session.rollback()
    _db.session.commit()
    assert socket.is_connected()


def test_a_banned_user_cannot_post_in_the_forum(app, client, auth, db):
    from app.models import Post
    from tests.forum.helpers import make_topic
    from tests.forum.helpers import make_user as make_member

    crook = make_member("crook")
    topic = make_topic(make_member("author"))
    auth.login("crook")
    tokens = form_tokens(client, f"/forum/t/{topic.id}/reply")
    ban_through_admin(app, crook.id, "1", "Flooding")
    response = client.post(f"/forum/t/{topic.id}/reply", data={"body": "Still here!", **tokens})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert _db.session.scalar(select(Post).where(Post.body == "Still here!")) is None
