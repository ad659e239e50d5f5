"""Shared fixtures.

The schema is built once per run by the real migrations. A test runs inside a database
transaction that is rolled back when it ends: the app's own commits and rollbacks become
SAVEPOINTs within it, so a test sees its data exactly as the site would, and nothing is left
for the next test. A test that another process must see data of (a live gunicorn server, a
browser, a second Socket.IO process) is marked `@pytest.mark.live` (or `browser`, or uses
`live_server` / `new_page`): its data is committed for real and every table is emptied
after it. Tests run on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from flask import g, request_finished
from flask import request as current_request

ROOT = Path(__file__).resolve().parent.parent
TMP = Path(tempfile.mkdtemp(prefix="garage-tests-"))
os.environ.setdefault("TEST_DATABASE_URL", f"sqlite:///{TMP / 'test.db'}")
os.environ["UPLOAD_FOLDER"] = str(TMP / "uploads")
os.environ["FLASK_CONFIG"] = "testing"

from sqlalchemy import Connection, Engine, create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db as _db  # noqa: E402
from app.extensions import limiter  # noqa: E402
from config import TestingConfig  # noqa: E402
from tests import factories  # noqa: E402

DEFAULT_PASSWORD = factories.DEFAULT_PASSWORD


class Config(TestingConfig):
    SQLALCHEMY_DATABASE_URI = os.environ["TEST_DATABASE_URL"]
    UPLOAD_FOLDER = os.environ["UPLOAD_FOLDER"]
    SOCKETIO_ASYNC_MODE = "threading"


@pytest.fixture(scope="session")
def app():
    from flask_migrate import downgrade, upgrade

    app = create_app(Config)

    @app.before_request
    def fresh_g():
        # Tests hold an app context open and Flask reuses it for every test request, so
        # `g` would carry the signed-in user and the CSRF token from one request on.
        vars(g).clear()

    app.before_request_funcs[None].insert(0, app.before_request_funcs[None].pop())
    with app.app_context():
        downgrade(revision="base")  # a database left over from an interrupted run
        upgrade()
    join_outer_transactions()
    yield app
    shutil.rmtree(TMP, ignore_errors=True)


# --- one transaction per test, rolled back ----------------------------------------------

# The connection each engine's sessions join while a rolled-back test runs (engine -> it).
JOINED: dict[Engine, Connection] = {}
LIVE_FIXTURES = {"live_server", "new_page", "browser"}


def join_outer_transactions() -> None:
    """Make every session of the app join the test's connection when one is open for its
    engine, its own transaction becoming a SAVEPOINT ("create_savepoint"): `commit()` then
    releases it and `rollback()` returns to it, as they would for real. Flask-SQLAlchemy's
    session picks the engine itself and ignores a session-wide bind, hence the subclass;
    sessions of another app (another database) are left alone."""
    factory = _db.session.session_factory

    class JoinedSession(factory.class_):
        def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
            engine = super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)
            return JOINED.get(engine, engine)

    factory.class_ = JoinedSession
    factory.configure(join_transaction_mode="create_savepoint")


@contextmanager
def rolled_back(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that every session joins, rolled back at the end."""
    connection = engine.connect()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # pysqlite would begin its transaction only before the first write, so a SAVEPOINT
        # came first and its RELEASE committed for real; an explicit BEGIN holds them.
        raw = connection.connection.dbapi_connection
        isolation_level, raw.isolation_level = raw.isolation_level, None
    transaction = connection.begin()
    if sqlite:
        connection.exec_driver_sql("BEGIN")
    JOINED[engine] = connection
    try:
        yield connection
    finally:
        del JOINED[engine]
        transaction.rollback()
        if sqlite:
            raw.isolation_level = isolation_level
        else:
            restart_sequences(connection)  # ids start at 1 in every test, as after a TRUNCATE
        connection.close()


def restart_sequences(connection: Connection) -> None:
    """PostgreSQL sequences ignore rollbacks: set each back to 1 (one statement)."""
    connection.exec_driver_sql(
        "SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind = 'S' AND n.nspname = current_schema()"
    )
    connection.commit()


def commits_for_real(item: pytest.Item) -> bool:
    """A test whose data another process must see: marked live or browser, or using the
    live server or the browser."""
    return bool(
        item.get_closest_marker("live") or item.get_closest_marker("browser") or LIVE_FIXTURES & set(item.fixturenames)
    )


@pytest.fixture(autouse=True)
def db(app, request):
    """The database: a test's changes are rolled back after it; a live test's (which another
    process must see) are committed and every table is emptied after it."""
    with app.app_context():
        if commits_for_real(request.node):
            yield _db
            _db.session.remove()
            empty_tables()
        else:
            with rolled_back(_db.engine):
                yield _db
                _db.session.remove()
    limiter.reset()


def empty_tables() -> None:
    tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
    with _db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))


# --- no unhandled error anywhere in the run ---------------------------------------------
# Every test fails when, while it ran, the app logged a traceback (an unhandled error in a
# view, a socket event, a job...), answered a 500, or a live server it talked to wrote a
# traceback to its log. A test that provokes one on purpose says so with
# `@pytest.mark.logs_errors("why")` and then must provoke at least one.

SERVER_LOGS_READ: dict[Path, int] = {}  # how much of each live server's log was checked
LAST_TEST = ["(none)"]


class LoggedErrors(logging.Handler):
    """Records logged with a traceback, and 500 answers, while one test runs."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.found.append(f"logged by {record.name}: {record.getMessage()} ({record.exc_info[1]!r})")

    def response(self, sender, response, **extra) -> None:
        if response.status_code >= 500 and response.status_code != 503:  # 503: a planned refusal
            self.found.append(f"answered {response.status_code} to {current_request.method} {current_request.path}")


def server_log_tracebacks() -> list[str]:
    """The tracebacks live servers logged since their logs were last read (a server started
    during the test has its log read from the start)."""
    found = []
    for path in sorted(TMP.glob("server-*.log")):
        with path.open(errors="replace") as log:
            log.seek(SERVER_LOGS_READ.get(path, 0))
            new = log.read()
            SERVER_LOGS_READ[path] = log.tell()
        if "Traceback" in new:
            found.append(f"{path.name}:\n" + new[new.find("Traceback") :][:3000])
    return found


def assert_no_traceback(server) -> None:
    """A live server stopped outside a test (a module or session fixture) logged no
    traceback since the last test ended."""
    found = server_log_tracebacks()
    assert not found, "a live server logged a traceback:\n" + "\n".join(found)


@pytest.fixture(autouse=True)
def no_unhandled_errors(request):
    errors = LoggedErrors()
    # a server's answer to a request the previous test made may be logged after it ended
    errors.found += [f"after {LAST_TEST[0]} ended, {found}" for found in server_log_tracebacks()]
    LAST_TEST[0] = request.node.nodeid
    logging.getLogger().addHandler(errors)
    request_finished.connect(errors.response)
    yield
    logging.getLogger().removeHandler(errors)
    request_finished.disconnect(errors.response)
    found = errors.found + server_log_tracebacks()
    expected = request.node.get_closest_marker("logs_errors")
    if expected is None and found:
        pytest.fail(f"{len(found)} unhandled error(s) during the test, the first: {found[0]}", pytrace=False)
    if expected is not None and not found:
        pytest.fail(f"marked logs_errors ({expected.args[0]}) but nothing was logged: remove the mark")


@pytest.fixture
def empty_database_url():
    """The URL of a new, empty database of the kind the suite runs on (dropped afterwards)."""
    url = make_url(os.environ["TEST_DATABASE_URL"])
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{TMP / f'empty-{uuid.uuid4().hex}.db'}"
        return
    name = f"garage_empty_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Signs in and out through the real forms, CSRF token included."""

    def __init__(self, client):
        self.client = client

    def login(self, login: str = "buyer", password: str = DEFAULT_PASSWORD, remember: bool = False, **extra):
        data = {"login": login, "password": password, "csrf_token": csrf_token(self.client, "/auth/login")}
        if remember:
            data["remember"] = "y"
        return self.client.post("/auth/login", data=data, **extra)

    def logout(self):
        return self.client.post("/auth/logout", data={"csrf_token": csrf_token(self.client, "/")})


def csrf_token(client, path: str) -> str:
    """The CSRF token a page hands out, read from its HTML like a browser would."""
    return form_tokens(client, path)["csrf_token"]


def form_tokens(client, path: str) -> dict[str, str]:
    """The CSRF token and, on a form that creates something, the one-time form token
    (app/edits.py) of the first form on a page, read from its HTML like a browser would."""
    html = client.get(path).get_data(as_text=True)
    found = {}
    for name in ("csrf_token", "form_token"):
        match = re.search(rf'name="{name}"[^>]*value="([^"]+)"', html)
        if match:
            found[name] = match.group(1)
    assert "csrf_token" in found, f"no CSRF token on {path}"
    return found


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def user(app):
    return factories.make_user("buyer")


@pytest.fixture
def socketio_client(app, client):
    from app.extensions import socketio

    def connect(flask_client=None):
        return socketio.test_client(app, flask_test_client=flask_client or client)

    return connect


# --- the real server, for browser and real-client tests ----------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(**extra) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        FLASK_CONFIG="testing",
        DATABASE_URL=os.environ["TEST_DATABASE_URL"],
        TEST_DATABASE_URL=os.environ["TEST_DATABASE_URL"],
        UPLOAD_FOLDER=os.environ["UPLOAD_FOLDER"],
        LOG_LEVEL="WARNING",
    )
    env.update(extra)  # a test may override any of the above (FLASK_CONFIG=production ...)
    return env


class LiveServer:
    """gunicorn -k gevent -w 1 serving run:app (or `app_module`) on a free port, as in production."""

    def __init__(self, port: int | None = None, app_module: str = "run:app", **env):
        if JOINED:
            raise RuntimeError("a test that starts a server must be marked @pytest.mark.live: its data is rolled back")
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable, "-m", "gunicorn", "-k", "gevent", "-w", "1", "--no-control-socket",
            "--worker-connections", "4000", "-b", f"127.0.0.1:{self.port}", "--log-level", "warning", app_module,
        ]  # fmt: skip
        self.log = open(TMP / f"server-{self.port}.log", "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=server_env(**env), stdout=self.log, stderr=subprocess.STDOUT
        )
        self.wait_until_up()

    def wait_until_up(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {(TMP / f'server-{self.port}.log').read_text()}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).ok:
                    return
            except (requests.ConnectionError, requests.Timeout):  # the worker may still be booting
                time.sleep(0.1)
        raise RuntimeError(f"server did not start within {timeout:.0f} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="session")
def live_server(app):
    server = LiveServer()
    yield server
    server.stop()
    assert_no_traceback(server)


# --- a real browser -------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Without Chromium the browser tests are skipped on a developer's machine, with the reason;
# under CI they run anyway and fail loudly (the browser fixture says what is missing).
no_browser_here = pytest.mark.skipif(
    not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
    reason=f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)",
)


def pytest_collection_modifyitems(items):
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if "browser" in fixtures:
            item.add_marker(no_browser_here)
        if LIVE_FIXTURES & fixtures and not item.get_closest_marker("live"):
            item.add_marker(pytest.mark.live)  # `-m "not live"` leaves out every server test


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing; .ci/run installs it with apt-get")
    from playwright.sync_api import expect, sync_playwright

    # expect() waits 5 s by default; a loaded 2-core CI machine needs more headroom.
    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )  # fmt: skip
        yield browser
        browser.close()


@contextmanager
def browser_pages(browser, base_url: str):
    """Open pages of the site at `base_url` in fresh browser contexts (separate cookies:
    separate people), closed on exit; `open_page(phone=True)` is a 390×844 touch screen, as
    most visitors use; other keywords go to the browser context (`locale="ru-RU",
    timezone_id="Asia/Almaty"`)."""
    contexts = []

    def open_page(phone: bool = False, **context_options):
        size = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if phone else {"viewport": DESKTOP}
        context = browser.new_context(base_url=base_url, **size, **context_options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    try:
        yield open_page
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def new_page(browser, live_server):
    """Pages of the live server (see `browser_pages`)."""
    with browser_pages(browser, live_server.url) as open_page:
        yield open_page
