"""A real chat participant for live tests and the benchmark: signs in over HTTP like a
browser, then talks Socket.IO over WebSocket with python-socketio, keeping what a page keeps:
messages de-duplicated by id, per conversation the highest seq up to which it has every
message, the sync mark taken when the connection drops, and a sync when a live message
skips a seq (one that was never delivered live)."""

from __future__ import annotations

import contextlib
import re
import threading
import time
import uuid

import requests
import socketio

GAP_WAIT = 0.5  # seconds a page waits before syncing a gap in seq


def sign_in(base_url: str, username: str, password: str, http: requests.Session | None = None) -> str:
    """Sign in through the login form; return the Cookie header for the handshake."""
    http = http or requests.Session()
    html = http.get(base_url + "/auth/login", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    response = http.post(
        base_url + "/auth/login",
        data={"login": username, "password": password, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, f"sign-in of {username} failed"
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


class Participant:
    def __init__(self, base_url: str, username: str, password: str, cookie: str | None = None):
        self.base_url = base_url
        self.username = username
        self.cookie = cookie or sign_in(base_url, username, password)
        self.messages: dict[int, dict] = {}  # id -> message, each once
        self.received_events: list[dict] = []  # every new_message as it came, duplicates included
        self.read_receipts: list[dict] = []
        self.unread: list[dict] = []
        self.typing: list[dict] = []
        self.last_id = 0
        self.seqs: dict[int, set[int]] = {}  # conversation -> seqs held
        self.upto: dict[int, int] = {}  # conversation -> every seq up to this one held
        self.sync_mark: dict[int, int] | None = None
        self.gap_syncs = 0
        self.lock = threading.Lock()
        self.on_message = None
        self.sio = self.new_client()

    def new_client(self) -> socketio.Client:
        sio = socketio.Client(reconnection=False)
        sio.on("new_message", self.handle_message)
        sio.on("messages_read", lambda data: self.read_receipts.append(data))
        sio.on("unread_count", lambda data: self.unread.append(data))
        sio.on("typing", lambda data: self.typing.append(data))
        sio.on("disconnect", self.handle_disconnect)
        return sio

    def connect(self) -> Participant:
        self.sio.connect(
            self.base_url,
            headers={"Cookie": self.cookie},  # websocket-client sends the Origin
            transports=["websocket"],
            wait_timeout=10,
        )
        return self

    def handle_message(self, message: dict) -> None:
        with self.lock:
            self.received_events.append(message)
            gap = message["seq"] > self.upto.get(message["conversation_id"], 0) + 1
            self.keep(message)
        if gap and self.sync_mark is None:  # one was never delivered live: fetch it
            self.gap_syncs += 1
            self.sio.start_background_task(self.fill_gap, message["conversation_id"])
        if self.on_message:
            self.on_message(message)

    def fill_gap(self, conversation_id: int) -> None:
        """A moment later (an ack or a racing emit may still be on its way), sync the gap."""
        time.sleep(GAP_WAIT)
        seqs = self.seqs.get(conversation_id, set())
        if not seqs or max(seqs) == self.upto.get(conversation_id, 0):
            return
        # the socket may go away meanwhile: the reconnect then syncs from the mark
        with contextlib.suppress(socketio.exceptions.SocketIOError, AssertionError):
            self.sync(conversation_id, self.upto.get(conversation_id, 0))

    def keep(self, message: dict) -> None:
        self.messages.setdefault(message["id"], message)
        self.last_id = max(self.last_id, message["id"])
        conversation, seqs = message["conversation_id"], self.seqs.setdefault(message["conversation_id"], set())
        seqs.add(message["seq"])
        upto = self.upto.get(conversation, 0)
        while upto + 1 in seqs:
            upto += 1
        self.upto[conversation] = upto

    def handle_disconnect(self, reason=None) -> None:
        # the mark is taken at the drop, not after reconnecting (what chat.js does)
        with self.lock:
            if self.sync_mark is None:
                self.sync_mark = dict(self.upto)

    def call(self, event: str, data: dict, timeout: float = 10):
        return self.sio.call(event, data, timeout=timeout)

    def join(self, other: str) -> dict:
        return self.call("join_chat", {"with": other})

    def send(self, to: str, body: str, client_id: str | None = None) -> dict:
        ack = self.call("send_message", {"to": to, "body": body, "client_id": client_id or uuid.uuid4().hex})
        if ack.get("ok"):
            with self.lock:
                self.keep(ack["message"])
        return ack

    def drop(self) -> None:
        """Lose the connection (the page's socket goes away)."""
        self.sio.disconnect()
        self.handle_disconnect()

    def reconnect(self, other: str) -> dict:
        """A new socket with the same sign-in: join, then sync from the mark taken at the drop."""
        self.sio = self.new_client()
        self.connect()
        joined = self.join(other)
        self.resync(joined)
        return joined

    def resync(self, joined: dict) -> list[dict]:
        """After join_chat on a new socket: sync from the mark taken at the drop."""
        mark, self.sync_mark = self.sync_mark, None
        conversation_id = joined.get("conversation_id")
        if not conversation_id or mark is None:
            return []
        return self.sync(conversation_id, mark.get(conversation_id, 0))

    def sync(self, conversation_id: int, after_seq: int) -> list[dict]:
        got = []
        while True:
            ack = self.call("sync", {"conversation_id": conversation_id, "after_seq": after_seq})
            assert ack["ok"], ack
            with self.lock:
                for message in ack["messages"]:
                    self.keep(message)
            got += ack["messages"]
            if not ack["more"] or not ack["messages"]:
                return got
            after_seq = ack["messages"][-1]["seq"]

    def close(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()


def wait_for(condition, timeout: float = 10, step: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def many_people(app, prefix: str, count: int) -> list[tuple[str, str]]:
    """`count` members at once (one password hash shared: hashing each would only measure
    scrypt) and the session cookie a sign-in would set for each: [(username, cookie)]."""
    from app.extensions import db
    from app.models import User
    from tests import factories

    first = factories.make_user(f"{prefix}0")
    users = [first] + [
        User(username=f"{prefix}{n}", username_key=f"{prefix}{n}", email=f"{prefix}{n}@example.com",
             password_hash=first.password_hash)
        for n in range(1, count)
    ]  # fmt: skip
    db.session.add_all(users[1:])
    db.session.commit()
    serializer = app.session_interface.get_signing_serializer(app)
    name = app.config["SESSION_COOKIE_NAME"]
    return [
        (user.username, f"{name}={serializer.dumps({'_user_id': user.get_id(), '_fresh': True})}") for user in users
    ]


class ReliableSender:
    """A page that keeps writing through faults: every message has its client_id from the
    start, an unanswered or refused one is sent again with the same client_id after the
    socket is back (what chat.js does with its outbox)."""

    def __init__(self, participant: Participant, to: str):
        self.participant, self.to = participant, to
        self.outbox: dict[str, str] = {}  # client_id -> body, not yet acked ok
        self.acked: dict[str, dict] = {}  # client_id -> stored message
        self.error_acks: list[str] = []

    def send(self, body: str, client_id: str | None = None) -> None:
        client_id = client_id or uuid.uuid4().hex
        self.outbox[client_id] = body
        self.try_send(client_id)

    def try_send(self, client_id: str, timeout: float = 5) -> None:
        body = self.outbox[client_id]
        payload = {"to": self.to, "body": body, "client_id": client_id}
        try:
            ack = self.participant.call("send_message", payload, timeout=timeout)
        except socketio.exceptions.SocketIOError:
            return  # no answer: stays in the outbox
        if ack.get("ok"):
            del self.outbox[client_id]
            self.acked[client_id] = ack["message"]
            with self.participant.lock:
                self.participant.keep(ack["message"])
        else:
            self.error_acks.append(ack.get("error", ""))

    def flush(self) -> None:
        for client_id in list(self.outbox):
            self.try_send(client_id)


def reconnect_until_up(participant: Participant, other: str, timeout: float = 60) -> dict:
    """What the page's socket does after a drop: try again until the server answers, then
    join and sync from the mark taken at the drop."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return participant.reconnect(other)
        except (socketio.exceptions.SocketIOError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
