"""Faults under a live exchange, each with the real server (gunicorn -k gevent) and real
python-socketio clients that behave like chat.js (outbox resent with the same client_id,
reconnect, sync from the seq mark taken at the drop): the worker killed mid-stream, the
database connections cut, a socket that stops reading, and Redis gone between two processes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
import websocket
from sqlalchemy import func, select, text

from app.extensions import db
from app.models import Message, Notification
from tests import factories
from tests.chat.live import Participant, ReliableSender, reconnect_until_up, wait_for
from tests.chat.test_live import QueueServer
from tests.conftest import TMP, LiveServer, free_port

pytestmark = pytest.mark.live
PASSWORD = factories.DEFAULT_PASSWORD


def worker_pid(server: LiveServer) -> int:
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children").read_text().split()
    return int(children[0])


def stored_bodies() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(Message.body).order_by(Message.seq)))


def keep_writing(sender: ReliableSender, bodies: list[str], pause: float = 0.05) -> threading.Thread:
    """A person writing `bodies` one after another through whatever happens to the socket."""

    def write() -> None:
        for body in bodies:
            sender.send(body)
            if not sender.participant.sio.connected:
                reconnect_until_up(sender.participant, sender.to)
                sender.flush()
            time.sleep(pause)
        deadline = time.monotonic() + 60
        while sender.outbox and time.monotonic() < deadline:
            if not sender.participant.sio.connected:
                reconnect_until_up(sender.participant, sender.to)
            sender.flush()
            time.sleep(0.2)

    thread = threading.Thread(target=write)
    thread.start()
    return thread


def assert_each_once(reader: Participant, bodies: list[str]) -> None:
    """The database holds every message once, and the reader has every one of them once."""
    assert sorted(stored_bodies()) == sorted(bodies)
    stored_ids = set(db.session.scalars(select(Message.id)))
    assert wait_for(lambda: set(reader.messages) == stored_ids, timeout=15), (
        f"reader misses {len(stored_ids - set(reader.messages))} of {len(stored_ids)}"
    )


@pytest.fixture(scope="module")
def own_server(app):
    """A server of these tests' own (its worker gets killed), without the send rate limit."""
    server = LiveServer(RATELIMIT_ENABLED="0")
    yield server
    server.stop()


@pytest.fixture
def pair(own_server):
    """The buyer writing to the dealer, both with the conversation open: (sender, dealer)."""
    factories.make_user("buyer")
    factories.make_user("dealer", role="dealer")
    buyer = Participant(own_server.url, "buyer", PASSWORD).connect()
    dealer = Participant(own_server.url, "dealer", PASSWORD).connect()
    buyer.join("dealer"), dealer.join("buyer")
    yield ReliableSender(buyer, "dealer"), dealer
    buyer.close()
    dealer.close()


def test_the_worker_killed_mid_stream_loses_and_doubles_nothing(own_server, pair):
    sender, dealer = pair
    bodies = [f"message {n}" for n in range(40)]
    writing = keep_writing(sender, bodies)
    assert wait_for(lambda: len(sender.acked) >= 10)
    os.kill(worker_pid(own_server), signal.SIGKILL)  # gunicorn starts a new worker
    assert wait_for(lambda: not dealer.sio.connected)
    reconnect_until_up(dealer, "buyer")
    writing.join(timeout=120)
    assert not sender.outbox, f"never acknowledged: {sender.outbox}"
    assert_each_once(dealer, bodies)


def cut_database_connections(seconds: float) -> None:
    """For `seconds`, PostgreSQL terminates every other backend of the database, again and
    again; SQLite, which has no server, is locked by another writer for longer than its busy
    timeout (the server's statements then fail as a dropped connection's would)."""
    if db.engine.dialect.name == "postgresql":
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with db.engine.connect() as connection:
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                )
            time.sleep(0.1)
    else:
        locker = sqlite3.connect(db.engine.url.database, timeout=30, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")
        time.sleep(seconds)
        locker.execute("ROLLBACK")
        locker.close()


def test_cut_database_connections_give_error_acks_then_recover_with_nothing_stored_twice(pair):
    sender, dealer = pair
    bodies = [f"message {n}" for n in range(30)]
    writing = keep_writing(sender, bodies, pause=0.1)
    assert wait_for(lambda: len(sender.acked) >= 5)
    cut_database_connections(6 if db.engine.dialect.name == "sqlite" else 2)
    writing.join(timeout=120)
    assert not sender.outbox, f"never acknowledged: {sender.outbox}"
    # refused sends said so in words (then went again with the same client_id)
    assert all("try again" in error for error in sender.error_acks), sender.error_acks
    if not dealer.sio.connected:
        reconnect_until_up(dealer, "buyer")
    assert_each_once(dealer, bodies)


def engineio_frame(ws: websocket.WebSocket, prefix: str) -> str:
    """Read frames until one starts with `prefix`, answering the server's pings."""
    while True:
        frame = ws.recv()
        if frame == "2":
            ws.send("3")
        elif frame.startswith(prefix):
            return frame


def test_a_socket_that_stops_reading_is_timed_out_and_catches_up_by_sync(app):
    # pings every second, two seconds to answer: a socket silent for 10 s is long gone
    server = LiveServer(RATELIMIT_ENABLED="0", SOCKETIO_PING_INTERVAL="1", SOCKETIO_PING_TIMEOUT="2")
    factories.make_user("buyer")
    factories.make_user("dealer", role="dealer")
    buyer = Participant(server.url, "buyer", PASSWORD).connect()
    dealer = Participant(server.url, "dealer", PASSWORD)  # signed in; its page's socket is raw below
    ws = websocket.create_connection(
        server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket",
        header=[f"Cookie: {dealer.cookie}"], origin=server.url, timeout=10,
    )  # fmt: skip
    try:
        engineio_frame(ws, "0{")
        ws.send("40")
        engineio_frame(ws, "40")
        ws.send('420["join_chat",{"with":"buyer"}]')
        engineio_frame(ws, "430")
        first = buyer.send("dealer", "Hello")["message"]
        live = json.loads(engineio_frame(ws, '42["new_message"')[2:])[1]
        assert live["id"] == first["id"]
        # the phone goes into a tunnel: nothing is read or answered for 10 s
        buyer.join("dealer")
        time.sleep(5)
        missed = [buyer.send("dealer", f"while away {n}")["message"] for n in range(3)]
        time.sleep(5)
        # the server gave up on it: what was buffered can be read, then the socket is closed
        ws.settimeout(3)
        with pytest.raises(websocket.WebSocketConnectionClosedException):
            while True:
                if ws.recv() == "":
                    raise websocket.WebSocketConnectionClosedException("closed")
        # no longer viewing the conversation once dropped: those became notifications
        assert db.session.scalar(select(func.count()).select_from(Notification)) >= 1
        # back online: the page reconnects and syncs after the last seq it held
        dealer.sync_mark = {live["conversation_id"]: live["seq"]}
        dealer.reconnect("buyer")
        assert {m["id"] for m in missed} <= set(dealer.messages)
    finally:
        ws.close()
        buyer.close()
        dealer.close()
        server.stop()


class OwnRedis:
    """A redis-server of the test's own on a free port (the shared one is never touched)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no", "--dir", str(TMP)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        assert wait_for(lambda: self.answers(redis), timeout=10), "redis-server did not start"

    def answers(self, redis) -> bool:
        try:
            return redis.Redis.from_url(self.url).ping()
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def test_without_redis_pairs_on_one_process_still_talk_and_the_others_catch_up(app):
    own_redis = OwnRedis()
    own_redis.start()
    env = {"FLASK_CONFIG": "development", "SOCKETIO_MESSAGE_QUEUE": own_redis.url, "SECRET_KEY": "redis-fault-test",
           "RATELIMIT_ENABLED": "0"}  # fmt: skip
    first, second = QueueServer(**env), QueueServer(**env)
    for name in ("buyer", "dealer", "anna", "bob"):
        factories.make_user(name)
    buyer, dealer = Participant(first.url, "buyer", PASSWORD), Participant(first.url, "dealer", PASSWORD)
    anna, bob = Participant(first.url, "anna", PASSWORD), Participant(second.url, "bob", PASSWORD)
    people = (buyer, dealer, anna, bob)
    try:
        for person, other in ((buyer, "dealer"), (dealer, "buyer"), (anna, "bob"), (bob, "anna")):
            person.connect().join(other)
        across = [anna.send("bob", "before the outage")["message"]]
        assert wait_for(lambda: across[0]["id"] in bob.messages)

        own_redis.stop()
        same = buyer.send("dealer", "Redis is down, but we are on one process")
        assert same["ok"] and wait_for(lambda: same["message"]["id"] in dealer.messages)
        outage = anna.send("bob", "sent while Redis was down")
        assert outage["ok"], outage  # stored and acknowledged; bob hears of it later
        across.append(outage["message"])

        own_redis.start()
        # the other process resubscribes (with its back-off); a new message then reaches bob
        # live, and bob's page sees the skipped seq and syncs the one it missed
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and not any(m["id"] in bob.messages for m in across[2:]):
            across.append(anna.send("bob", f"after the outage {len(across)}")["message"])
            time.sleep(1)
        assert wait_for(lambda: {m["id"] for m in across} <= set(bob.messages), timeout=10)
        assert (
            len(bob.messages) == len(across)
            and db.session.scalar(select(func.count()).select_from(Message)) == len(across) + 1
        )
    finally:
        for person in people:
            person.close()
        first.stop()
        second.stop()
        own_redis.stop()
