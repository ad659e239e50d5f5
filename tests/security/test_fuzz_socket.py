"""Issue 13 item 6 for Socket.IO: every event the server handles (found in the server's own
handler table, so an event added later is attacked too), sent by a signed-in member with
hostile payloads - not an object at all, unknown keys, the keys the handlers read holding
NUL, lone surrogates, 30-digit and negative numbers, NaN, booleans, nested lists and
objects, 100 kB strings - answers an ack the page can read ({"ok": ...}) and keeps the
connection; any exception the server logs fails the test (tests/conftest.py).
"""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import socketio
from tests import factories
from tests.conftest import AuthActions
from tests.security.test_fuzz import JSON, source_names

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2")) * 10  # events are cheap: ten times the HTTP count
# The keys the handlers read from a payload (`data.get("to")`...), found in the source.
PAYLOAD_KEYS = sorted(source_names(r'(?:data\.get\(|int_field\(data,)\s*"(\w+)"') | {"to", "with"})


def events() -> list[str]:
    handlers = socketio.server.handlers.get("/", {})
    return sorted(event for event in handlers if event not in ("connect", "disconnect"))


def payloads(real: dict) -> st.SearchStrategy:
    """Hostile payloads; real values (the other person's name, the conversation's id) are
    mixed in so the hostile part reaches past the first check."""
    value = st.one_of(JSON, st.sampled_from(sorted(real.values(), key=str)))
    keyed = st.dictionaries(st.sampled_from(PAYLOAD_KEYS), value, max_size=4)
    return st.one_of(keyed, JSON)


def test_the_fuzzer_knows_the_chat_events():
    assert {"send_message", "join_chat", "sync", "mark_read", "typing"} <= set(events())
    assert {"to", "body", "client_id", "conversation_id", "after_seq"} <= set(PAYLOAD_KEYS)


def test_hostile_socket_payloads_get_an_ack_and_no_server_error(app, socketio_client):
    factories.make_user("fuzzer")
    factories.make_user("seller")
    client = app.test_client()
    AuthActions(client).login("fuzzer")
    sio = socketio_client(client)
    first = sio.emit("send_message", {"to": "seller", "body": "Hello", "client_id": "fuzz-0"}, callback=True)
    assert first["ok"], first
    real = {"to": "seller", "conversation_id": first["message"]["conversation_id"], "client_id": "fuzz-0"}
    failures = []
    for event in events():
        try:
            attack(sio, event, real)
        except AssertionError as error:
            failures.append(re.sub(r"\s+", " ", str(error))[:400])
    sio.disconnect()
    assert not failures, "\n".join(failures)


def attack(sio, event: str, real: dict) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(payload=payloads(real))
    def send(payload):
        ack = sio.emit(event, payload, callback=True)
        assert isinstance(ack, dict) and "ok" in ack, f"{event} {str(payload)[:200]}: ack {ack!r}"
        assert sio.is_connected(), f"{event} {str(payload)[:200]} closed the connection"

    send()
