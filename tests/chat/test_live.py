"""The chat on the real server (gunicorn -k gevent) with real python-socketio clients over
WebSocket: a live exchange, a dropped connection caught up through `sync`, and the same
across two gunicorn processes joined by Redis (including sign-out closing sockets on the
other process)."""

from __future__ import annotations

import os
import re

import pytest
import redis
import requests

from app.extensions import db
from app.models import Message
from tests import factories
from tests.chat.live import Participant, sign_in, wait_for
from tests.conftest import ROOT, TMP, LiveServer, free_port, server_env

pytestmark = pytest.mark.live
PASSWORD = factories.DEFAULT_PASSWORD


def test_two_people_exchange_messages_live(live_server):
    factories.make_user("buyer")
    factories.make_user("dealer", role="dealer")
    buyer = Participant(live_server.url, "buyer", PASSWORD).connect()
    dealer = Participant(live_server.url, "dealer", PASSWORD).connect()
    try:
        assert buyer.join("dealer")["ok"] and dealer.join("buyer")["ok"]
        ack = buyer.send("dealer", "Is the car still available?")
        assert ack["ok"]
        assert wait_for(lambda: ack["message"]["id"] in dealer.messages)
        reply = dealer.send("buyer", "Yes, come tomorrow")
        assert wait_for(lambda: reply["message"]["id"] in buyer.messages)
        assert [m["body"] for m in sorted(buyer.messages.values(), key=lambda m: m["id"])] == [
            "Is the car still available?",
            "Yes, come tomorrow",
        ]
        read = buyer.call(
            "mark_read", {"conversation_id": reply["message"]["conversation_id"], "up_to_id": reply["message"]["id"]}
        )
        assert read["marked"] == 1
        assert wait_for(lambda: dealer.read_receipts and dealer.read_receipts[-1]["up_to_id"] == reply["message"]["id"])
    finally:
        buyer.close()
        dealer.close()


def exchange_with_a_drop(url_a: str, url_b: str) -> None:
    """`a` writes to `b` (7 messages: under the 10-per-10-s limit); `b` drops, `a` keeps
    writing, `b` comes back and syncs. Every message reaches `b` exactly once, and the
    database holds each once."""
    a = Participant(url_a, "buyer", PASSWORD).connect()
    b = Participant(url_b, "dealer", PASSWORD).connect()
    try:
        a.join("dealer")
        b.join("buyer")
        sent = [a.send("dealer", f"before {n}")["message"]["id"] for n in range(2)]
        assert wait_for(lambda: set(sent) <= set(b.messages))
        b.drop()
        sent += [a.send("dealer", f"while away {n}")["message"]["id"] for n in range(3)]
        # back: a live message may arrive on the new socket before the sync answer
        b.sio = b.new_client()
        b.connect()
        joined = b.join("buyer")
        sent.append(a.send("dealer", "right after the reconnect")["message"]["id"])
        b.resync(joined)
        sent += [a.send("dealer", f"after {n}")["message"]["id"] for n in range(1)]
        assert wait_for(lambda: set(sent) <= set(b.messages))
        assert sorted(b.messages) == sorted(sent)  # none lost
        live_ids = [m["id"] for m in b.received_events]
        assert len(live_ids) == len(set(live_ids))  # none doubled on the wire
        db.session.expire_all()
        assert db.session.query(Message).count() == len(sent)
    finally:
        a.close()
        b.close()


def test_a_dropped_connection_catches_up_through_sync(live_server):
    factories.make_user("buyer")
    factories.make_user("dealer", role="dealer")
    exchange_with_a_drop(live_server.url, live_server.url)


class QueueServer(LiveServer):
    """LiveServer with the development configuration, which reads SOCKETIO_MESSAGE_QUEUE
    from the environment (the testing one never uses a queue)."""

    def __init__(self, **env):
        import subprocess
        import sys

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = server_env()
        environment.update(env)
        command = [
            sys.executable, "-m", "gunicorn", "-k", "gevent", "-w", "1", "--no-control-socket",
            "--worker-connections", "4000", "-b", f"127.0.0.1:{self.port}", "--log-level", "warning", "run:app",
        ]  # fmt: skip
        self.log = open(TMP / f"server-{self.port}.log", "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_until_up()


def start_two_queue_servers(queue: str, secret: str, **extra: str) -> tuple[QueueServer, QueueServer]:
    """Two gunicorn processes (-k gevent -w 1, two ports) joined by the Redis `queue`, as in
    production (`extra`: more environment, e.g. the shared cache); the first is stopped
    again if the second does not start."""
    env = {"FLASK_CONFIG": "development", "SOCKETIO_MESSAGE_QUEUE": queue, "SECRET_KEY": secret, **extra}
    first = QueueServer(**env)
    try:
        return first, QueueServer(**env)
    except Exception:
        first.stop()
        raise


@pytest.fixture
def two_workers():
    """Two processes joined by Redis; a Redis database of its own per test run keeps parallel
    runs apart."""
    queue = f"redis://127.0.0.1:6379/{1 + os.getpid() % 15}"
    first, second = start_two_queue_servers(queue, "two-workers-test")
    yield first, second
    first.stop()
    second.stop()
    redis.Redis.from_url(queue).flushdb()


def test_two_workers_with_redis_deliver_and_sync(two_workers):
    first, second = two_workers
    factories.make_user("buyer")
    factories.make_user("dealer", role="dealer")
    exchange_with_a_drop(first.url, second.url)


def test_sign_out_on_one_worker_closes_sockets_on_the_other(two_workers):
    first, second = two_workers
    factories.make_user("buyer")
    factories.make_user("dealer", role="dealer")
    http = requests.Session()
    cookie = sign_in(first.url, "buyer", PASSWORD, http)
    buyer = Participant(second.url, "buyer", PASSWORD, cookie=cookie).connect()
    try:
        assert buyer.sio.connected
        # sign out through the first worker, with the same session
        html = http.get(first.url + "/", timeout=10).text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        assert (
            http.post(first.url + "/auth/logout", data={"csrf_token": token}, allow_redirects=False).status_code == 302
        )
        assert wait_for(lambda: not buyer.sio.connected, timeout=5)
    finally:
        buyer.close()


def test_only_the_sites_own_origin_may_connect(live_server):
    factories.make_user("buyer")
    http = requests.Session()
    cookie = sign_in(live_server.url, "buyer", PASSWORD, http)
    handshake = live_server.url + "/socket.io/?EIO=4&transport=polling"
    foreign = requests.get(handshake, headers={"Cookie": cookie, "Origin": "https://evil.example"}, timeout=10)
    assert foreign.status_code == 400
    own = requests.get(handshake, headers={"Cookie": cookie, "Origin": live_server.url}, timeout=10)
    assert own.status_code == 200 and '"sid"' in own.text
