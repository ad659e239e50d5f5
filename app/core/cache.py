"""One cache for every process: Flask-Caching over Redis when CACHE_REDIS_URL is set
(production: every web container shares it), else a SimpleCache local to the process
(development, tests).

    remember("catalog", ("regions", "kk"), load, timeout=300)
    invalidate("catalog")   # in the transaction that changes the catalogue

A value lives in a namespace ("catalog", "forum") under a key tuple whose first item names
its kind and which holds everything the value depends on, the page's language included.
Each namespace has a version stored beside the values; a value is stored tagged with the
version it was computed under and read together with the current one (one MGET), so
`invalidate` — a new version written once the transaction commits — retires every value
of the namespace in every process at once, without listing or deleting keys. A value
computed while a change was committing carries the old version and is never served.

Values are pickled (Redis is on the internal network only) and memoized for the rest of
the request, so a template that asks twenty times costs one round trip. A Redis error never
fails a page: the read is a miss, the write is skipped, a failed invalidation is logged
(values then live until their timeout), and the process renders without the cache for
OUTAGE_PAUSE seconds instead of waiting on a dead Redis for every value.

`budget` caps how many new values of one kind are stored per timeout period, so URLs made
up by a crawler or an attacker (every price in a filter) cannot fill Redis.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import click
import redis
from flask import Flask, has_request_context, request
from flask.cli import AppGroup
from flask_caching import Cache

from app.core.after_commit import after_commit
from app.core.realtime import channel_for

T = TypeVar("T")
log = logging.getLogger(__name__)
cache = Cache(with_jinja2_ext=False)
MEMO = "garage.cache_memo"  # in the request's WSGI environ: one request, however contexts nest
REDIS_TIMEOUT = 1.0  # seconds: a stalled Redis costs a page one second, then it renders fresh
OUTAGE_PAUSE = 5.0  # seconds without the cache after a Redis error


cache_cli = AppGroup("cache", help="The shared cache.")


def init_app(app: Flask) -> None:
    cache.init_app(app, config=backend_config(app.config))
    app.cli.add_command(cache_cli)


@cache_cli.command("clear")
def clear_command() -> None:
    """Drop every cached value of this stack (`make restore` does, since they describe the
    database that was replaced)."""
    clear()
    click.echo("cache cleared")


def backend_config(config) -> dict[str, Any]:
    """Flask-Caching's settings from ours: a Redis client with short socket timeouts, and a
    key prefix per stack (CACHE_KEY_PREFIX, else the Socket.IO channel, which is derived
    from the database URL) so two stacks on one Redis never read each other's values."""
    url = config.get("CACHE_REDIS_URL")
    common = {"CACHE_DEFAULT_TIMEOUT": 300, "CACHE_REDIS_URL": None}
    if not url:
        return {**common, "CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": config.get("CACHE_THRESHOLD", 5000)}
    client = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT)
    prefix = config.get("CACHE_KEY_PREFIX") or f"{channel_for(config)}:cache:"
    return {**common, "CACHE_TYPE": "RedisCache", "CACHE_REDIS_HOST": client, "CACHE_KEY_PREFIX": prefix}


def remember(
    namespace: str, key: tuple[Hashable, ...], load: Callable[[], T], timeout: float, budget: int | None = None
) -> T:
    """`load()`, shared by every process for `timeout` seconds or until `invalidate(namespace)`;
    a timeout of 0 turns caching off (tests that write rows behind the services' backs)."""
    if timeout <= 0 or Outage.now():
        return load()
    name = f"{namespace}:{key!r}"
    memo = request.environ.setdefault(MEMO, {}) if has_request_context() else {}
    if name in memo:
        return memo[name]
    found = lookup(namespace, key)
    if found.hit:
        value = found.value
    else:
        value = load()
        keep(found, value, timeout, budget)
    memo[name] = value
    memo[version_key(namespace)] = found.version
    return value


def seen_version(namespace: str) -> str | None:
    """The namespace's version that this request's `remember` read (None: none read, caching
    off, Redis down, or invalidated since), so that what is derived from the namespace's
    values can be kept elsewhere under it and retired with them (listings.top)."""
    if not has_request_context():
        return None
    return request.environ.get(MEMO, {}).get(version_key(namespace))


@dataclass
class Lookup:
    namespace: str
    key: tuple[Hashable, ...]
    hit: bool
    value: Any
    # The namespace's version read with the value: a value computed after this look-up is
    # stored under it, so one computed while an invalidation committed is never served.
    version: str | None


def lookup(namespace: str, key: tuple[Hashable, ...]) -> Lookup:
    """The value stored under the namespace's current version (`hit`), else a miss to `keep`."""
    if Outage.now():
        return Lookup(namespace, key, False, None, None)
    version, stored = read(version_key(namespace), f"{namespace}:{key!r}")
    if isinstance(stored, tuple) and len(stored) == 2 and version is not None and stored[0] == version:
        return Lookup(namespace, key, True, stored[1], version)
    return Lookup(namespace, key, False, None, version)


def keep(miss: Lookup, value: Any, timeout: float, budget: int | None = None) -> None:
    """Store `value` for what `miss` looked up, for `timeout` seconds, unless `budget` values
    of this kind (key[0]) were already stored in this timeout period."""
    if Outage.now():
        return
    version = miss.version or start_version(miss.namespace)
    if version is not None and within_budget(miss.namespace, miss.key[0], timeout, budget):
        write(f"{miss.namespace}:{miss.key!r}", (version, value), timeout)


def invalidate(namespace: str) -> None:
    """Everything cached in `namespace` is stale once this transaction commits (nothing
    happens if it rolls back): a new version, seen by every process at its next read."""
    after_commit(f"cache:{namespace}", namespace, deliver=new_versions)


def new_versions(namespaces: list[str]) -> None:
    for namespace in dict.fromkeys(namespaces):
        bump(namespace)


def bump(namespace: str) -> None:
    """A new version for `namespace` now (what `invalidate` does after the commit)."""
    try:
        cache.set(version_key(namespace), secrets.token_hex(8), timeout=0)
    except redis.RedisError:
        Outage.start()
        log.exception("cache: could not invalidate %s; its values live until their timeout", namespace)
    if has_request_context():
        request.environ.pop(MEMO, None)


def clear() -> None:
    """Drop every value of this stack (`flask cache clear`, tests)."""
    cache.clear()


def version_key(namespace: str) -> str:
    return f"{namespace}:version"


def read(*names: str) -> list[Any]:
    try:
        return cache.get_many(*names)
    except redis.RedisError as error:
        Outage.start()
        log.warning("cache: read failed (%s); rendering without the cache for %ss", error, OUTAGE_PAUSE)
        return [None] * len(names)


def write(name: str, value: Any, timeout: float) -> None:
    try:
        cache.set(name, value, timeout=int(timeout))
    except redis.RedisError as error:
        Outage.start()
        log.warning("cache: write failed (%s)", error)


def start_version(namespace: str) -> str | None:
    """The first version of a namespace (after a Redis restart too), set only if absent;
    None when another process set one first (this value is then not stored)."""
    token = secrets.token_hex(8)
    try:
        return token if cache.add(version_key(namespace), token, timeout=0) else None
    except redis.RedisError:
        Outage.start()
        return None


def within_budget(namespace: str, kind: Hashable, timeout: float, budget: int | None) -> bool:
    """True while fewer than `budget` values of this kind were stored in this timeout period."""
    if budget is None:
        return True
    counter = f"{namespace}:{kind}:stored:{int(time.time() // timeout)}"
    try:
        cache.add(counter, 0, timeout=int(timeout) * 2)
        return (cache.cache.inc(counter) or 0) <= budget  # the backend's INCR (Cache has no inc)
    except redis.RedisError:
        Outage.start()
        return False


class Outage:
    """When this process last saw Redis fail: for OUTAGE_PAUSE seconds after that, pages
    are rendered without the cache (one slow or refused connection, not one per value)."""

    until = 0.0

    @classmethod
    def start(cls) -> None:
        cls.until = time.monotonic() + OUTAGE_PAUSE

    @classmethod
    def now(cls) -> bool:
        return time.monotonic() < cls.until
