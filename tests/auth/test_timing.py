"""Which addresses have accounts must not show in how long the answer takes.

The attack: time sign-ins for a real account and for nobody, and registrations with a
taken e-mail and with a new one (it took 100 ms against 6 ms, and 12 ms against 115 ms).
Each kind is tried 15 times, interleaved so a busy machine slows both alike; the medians
must be within a factor of 1.5. Run with `-s` to see the figures."""

from __future__ import annotations

import statistics
import time

from tests.conftest import csrf_token
from tests.factories import make_user

TRIES = 15
FACTOR = 1.5


def timed_post(client, path: str, data: dict) -> float:
    data["csrf_token"] = csrf_token(client, path)
    started = time.perf_counter()
    response = client.post(path, data=data)
    elapsed = time.perf_counter() - started
    assert response.status_code in (200, 302), response.status_code
    return elapsed


def fresh_visitor(app, n: int):
    """A new browser at its own address: the attacker spreads tries so no limit answers first."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"10.{n // 250}.{n % 250}.{n % 7 + 1}"
    return client


def assert_alike(name: str, first: list[float], second: list[float]) -> None:
    a, b = statistics.median(first), statistics.median(second)
    print(f"\n{name}: medians {a * 1000:.1f} ms and {b * 1000:.1f} ms (ratio {max(a, b) / min(a, b):.2f})")
    assert max(a, b) / min(a, b) < FACTOR


def test_signing_in_to_nobody_takes_as_long_as_to_a_real_account(app, db):
    make_user("aigerim", email="aigerim@example.com")
    real, nobody = [], []
    for n in range(TRIES):
        real.append(timed_post(fresh_visitor(app, 2 * n), "/auth/login", {"login": "aigerim", "password": "guess-1"}))
        nobody.append(
            timed_post(fresh_visitor(app, 2 * n + 1), "/auth/login", {"login": "nobody", "password": "guess-1"})
        )
    assert_alike("sign-in, real account vs nobody", real, nobody)


def test_registering_a_taken_email_takes_as_long_as_a_new_one(app, db):
    make_user("owner", email="taken@example.com")
    taken, new = [], []
    for n in range(TRIES):
        form = {"password": "quiet-harbour-71", "confirm": "quiet-harbour-71"}
        taken.append(
            timed_post(fresh_visitor(app, 2 * n), "/auth/register",
                       {**form, "username": f"probe{n}", "email": "taken@example.com"})
        )  # fmt: skip
        new.append(
            timed_post(fresh_visitor(app, 2 * n + 1), "/auth/register",
                       {**form, "username": f"newbie{n}", "email": f"newbie{n}@example.com"})
        )  # fmt: skip
    assert_alike("registration, taken vs new e-mail", taken, new)
