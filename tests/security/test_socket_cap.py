"""Issue 13 item 9: one account cannot open more than MAX_SOCKETS_PER_USER (20) sockets;
the 21st handshake is refused with a message, and a closed socket frees its place. With
the Redis queue the count is shared by every process."""

from __future__ import annotations

import pytest
import redis
import socketio

from app.chat import socket_cap
from tests import factories
from tests.chat.live import sign_in
from tests.chat.test_live import start_two_queue_servers
from tests.conftest import DEFAULT_PASSWORD, AuthActions

QUEUE = "redis://127.0.0.1:6379/14"


def test_the_21st_socket_of_one_session_is_refused_and_a_closed_one_frees_a_place(app, socketio_client):
    # A fresh process: earlier tests' test clients (never disconnected) hold places of
    # users whose ids this test's user reuses.
    socket_cap._registries.clear()
    factories.make_user("buyer")
    client = app.test_client()
    AuthActions(client).login("buyer")
    sockets = [socketio_client(client) for _ in range(20)]
    assert all(sio.is_connected() for sio in sockets)
    assert not socketio_client(client).is_connected()
    sockets[0].disconnect()
    extra = socketio_client(client)
    assert extra.is_connected()
    for sio in [*sockets[1:], extra]:
        sio.disconnect()


def connect(url: str, cookie: str) -> socketio.Client:
    client = socketio.Client(reconnection=False)
    client.on("connect_error", lambda data: refusals.append(data))
    headers = {"Cookie": cookie, "Accept-Language": "en"}
    client.connect(url, headers=headers, transports=["websocket"], wait_timeout=20)
    return client


refusals: list = []  # what the server said to each refused handshake


@pytest.fixture
def two_processes():
    redis.Redis.from_url(QUEUE).flushdb()
    first, second = start_two_queue_servers(QUEUE, "socket-cap-test")
    yield first, second
    first.stop()
    second.stop()
    redis.Redis.from_url(QUEUE).flushdb()


@pytest.mark.live
def test_the_cap_counts_sockets_on_every_process_through_redis(two_processes):
    first, second = two_processes
    factories.make_user("buyer")
    cookie = sign_in(first.url, "buyer", DEFAULT_PASSWORD)
    sockets = [connect(first.url, cookie) for _ in range(10)] + [connect(second.url, cookie) for _ in range(10)]
    try:
        refusals.clear()
        with pytest.raises(socketio.exceptions.ConnectionError):
            connect(second.url, cookie)
        with pytest.raises(socketio.exceptions.ConnectionError):
            connect(first.url, cookie)
        assert refusals == [{"message": "Too many open connections. Close some tabs of the site."}] * 2
        sockets.pop().disconnect()
        sockets.append(connect(first.url, cookie))  # the place freed on one process is free on the other
    finally:
        for sio in sockets:
            sio.disconnect()
