"""Conversation pages, older history, picture upload and download, blocking.

Everything here needs a signed-in user; a conversation and its pictures are only ever
shown to its two people (others get 404). Live traffic goes through `events.py`.
"""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import inputs, media
from app.auth.validators import username_key
from app.chat import bp, services
from app.chat.events import deliver, notify_if_away
from app.chat.services import ChatError, Person
from app.extensions import db
from app.models import User

VARIANTS = {variant.name for variant in media.KINDS["chat"]}


def me() -> Person:
    return Person(current_user.id, current_user.username, current_user.name)


def person(user: User) -> Person:
    return Person(user.id, user.username, user.name)


def other_user_or_404(username: str) -> User:
    """The person to talk to; 404 for an unknown name."""
    user = db.session.scalar(select(User).where(User.username_key == username_key(username)))
    if user is None:
        abort(404)
    return user


@bp.route("/")
@login_required
def index():
    """The signed-in user's conversations, most recent first (blocked people left out)."""
    page = inputs.page_arg()
    rows, has_next = services.conversation_list(current_user.id, page)
    return render_template("chat/index.html", rows=rows, page=page, has_next=has_next)


@bp.route("/<username>")
@login_required
def conversation(username: str):
    """The conversation with `username`: the latest messages and the composer. `?listing=<id>`
    attaches that listing as a card to the first message sent from the page. Writing to
    oneself redirects to the list; an unknown name is a 404; a banned member's page says
    why there is no composer."""
    other = other_user_or_404(username)
    if other.id == current_user.id:
        return redirect(url_for("chat.index"))
    if other.username != username:
        return redirect(url_for("chat.conversation", username=other.username, **request.args), 301)
    conversation_id = services.find_conversation_id(current_user.id, other.id)
    conversation = db.session.get(services.Conversation, conversation_id) if conversation_id else None
    messages = services.history(conversation) if conversation else []
    names = {current_user.id: current_user.username, other.id: other.username}
    payloads = [services.message_payload(m, names[m.sender_id]) for m in messages]
    listing_id = inputs.int_arg("listing")
    card = services.listing_card(listing_id) if listing_id else None
    blocker = services.block_between(current_user.id, other.id)
    return render_template(
        "chat/conversation.html",
        other=other,
        conversation_id=conversation_id,
        messages=payloads,
        has_older=len(messages) >= services.HISTORY_PAGE,
        listing_id=listing_id if card else None,
        card=card,
        i_blocked=blocker == current_user.id,
        blocked_me=blocker == other.id,
        suspended=services.suspended_message(other.name) if other.is_banned else None,
    )


@bp.route("/<username>/messages")
@login_required
def older(username: str):
    """JSON: messages before `?before=<seq>` in one's own conversation with `username`."""
    other = other_user_or_404(username)
    conversation_id = services.find_conversation_id(current_user.id, other.id)
    if conversation_id is None:
        return jsonify(messages=[], more=False)
    conversation = db.session.get(services.Conversation, conversation_id)
    before = inputs.int_arg("before")
    rows = services.history(conversation, before_seq=before or None)
    names = {current_user.id: current_user.username, other.id: other.username}
    return jsonify(
        messages=[services.message_payload(m, names[m.sender_id]) for m in rows],
        more=len(rows) >= services.HISTORY_PAGE,
    )


@bp.route("/<username>/images", methods=["POST"])
@login_required
@media.limit_photo_uploads
def upload_image(username: str):
    """Send a picture (multipart: `image`, `client_id`, optional `body`) through the media
    pipeline; JSON answer with the stored message. Refuses what send_message refuses and
    files that are not pictures (400, with the reason)."""
    other = other_user_or_404(username)
    upload = request.files.get("image")
    if upload is None or not upload.filename:
        return jsonify(ok=False, error=_("Choose a picture.")), 400
    sender = me()
    try:
        # refuse early (blocks, rate limit) before spending CPU on the picture
        services.clean_client_id(request.form.get("client_id"))
        if other.id == current_user.id:
            raise ChatError(_("You cannot write to yourself."))
        if services.block_between(sender.id, other.id) is not None:
            raise ChatError(_("%(name)s does not accept messages from you.", name=other.name))
        if other.is_banned:
            raise ChatError(services.suspended_message(other.name))
        name = media.save_image(upload.stream, "chat")
        sent = services.send_message(
            sender, other.username, request.form.get("body"), request.form.get("client_id"), image=name
        )
        if sent.created:
            notify_if_away(sender, sent)
        db.session.commit()
    except (ChatError, media.ImageRejected) as refused:
        db.session.rollback()
        return jsonify(ok=False, error=str(refused)), 400
    if not sent.created:  # a resend: the stored message keeps its own picture
        media.delete_image("chat", name)
    deliver(sender, sent)
    return jsonify(ok=True, message=sent.message)


@bp.route("/images/<name>/<variant>")
@login_required
def image(name: str, variant: str):
    """A chat picture, only for the two people of its conversation (404 for anyone else).
    In production nginx sends the bytes: the answer is an X-Accel-Redirect to the internal
    location /protected-uploads/chat/."""
    if variant not in VARIANTS or not name.replace("-", "").replace("_", "").isalnum() or len(name) > 64:
        abort(404)
    if not services.image_visible_to(current_user.id, name):
        abort(404)
    key = media.file_key("chat", name, variant)
    headers = {"Cache-Control": "private, max-age=86400", "X-Content-Type-Options": "nosniff"}
    if current_app.config["USE_X_ACCEL"]:
        response = current_app.response_class(status=200, mimetype="image/jpeg")
        response.headers["X-Accel-Redirect"] = "/protected-uploads/" + key
        response.headers.update(headers)
        return response
    path = media.storage().path(key)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/jpeg")
    response.headers.update(headers)
    return response


@bp.route("/<username>/block", methods=["POST"])
@login_required
def block(username: str):
    """Block `username`: they can no longer write to you; the conversation leaves your list."""
    other = other_user_or_404(username)
    try:
        services.block(current_user.id, other.id)
    except ChatError as refused:
        flash(str(refused), "danger")
        return redirect(url_for("chat.index"))
    db.session.commit()
    flash(_("%(name)s is blocked and can no longer write to you.", name=other.name), "info")
    return redirect(url_for("chat.conversation", username=other.username))


@bp.route("/<username>/unblock", methods=["POST"])
@login_required
def unblock(username: str):
    """Lift one's own block of `username`."""
    other = other_user_or_404(username)
    services.unblock(current_user.id, other.id)
    db.session.commit()
    flash(_("%(name)s is unblocked.", name=other.name), "info")
    return redirect(url_for("chat.conversation", username=other.username))
