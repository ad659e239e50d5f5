"""Configuration classes, read from the environment (see .env.example).

`create_app()` picks one by FLASK_CONFIG (development, testing, production) or the class
passed in. Nothing here is read at import time of the app package itself.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent
load_dotenv(BASE_DIR / ".env")

DEFAULT_SECRET = "dev-only-not-secret"  # noqa: S105 (refused in production)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str) -> list[str]:
    """A comma-separated variable as a list ("a, b" -> ["a", "b"]); empty when unset."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def trusted_hosts(site_url: str, domain: str, local: bool) -> list[str]:
    """The Host names the app answers: SITE_URL's host, DOMAIN, TRUSTED_HOSTS from the
    environment, and localhost/127.0.0.1 in development and tests. Any other Host is a 400."""
    hosts = [urlsplit(site_url).hostname or "", domain, *env_list("TRUSTED_HOSTS")]
    if local:
        hosts += ["localhost", "127.0.0.1"]
    return list(dict.fromkeys(host.lower() for host in hosts if host))


def env_prices(name: str, defaults: dict[str, int]) -> dict[str, int]:
    """Prices in whole tenge: the defaults, overridden by "code=amount, ..." from `name`
    (PROMOTION_PRICES="top_1=2500,raise=900")."""
    prices = dict(defaults)
    for item in env_list(name):
        code, _, amount = item.partition("=")
        if code.strip() in prices and amount.strip().isdigit():
            prices[code.strip()] = int(amount)
    return prices


def origin(url: str) -> str:
    """scheme://host[:port] of a URL, as a browser sends it in the Origin header."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def env_seconds(name: str, default: str) -> list[int]:
    """A comma-separated list of whole seconds ("10,60,300"); unset or empty: `default`."""
    return [int(item) for item in (os.environ.get(name) or default).split(",") if item.strip()]


def sqlite_url(name: str) -> str:
    return f"sqlite:///{BASE_DIR / 'instance' / name}"


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or sqlite_url("garage.db")
    # One gevent process serves hundreds of concurrent requests and sockets: a pool of
    # 5 + 10 ran dry under the chat benchmark. pre_ping (a SELECT 1 per checkout, ~8% of
    # a busy chat worker) survives a database restart; DB_POOL_PRE_PING=0 trades that away.
    SQLALCHEMY_ENGINE_OPTIONS = {
        "pool_pre_ping": env_bool("DB_POOL_PRE_PING", True),
        "pool_size": env_int("DB_POOL_SIZE", 10),
        "max_overflow": env_int("DB_MAX_OVERFLOW", 20),
        "pool_timeout": env_int("DB_POOL_TIMEOUT", 10),
    }
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(BASE_DIR / "uploads"))
    # Whole request body; nginx's client_max_body_size matches it.
    MAX_CONTENT_LENGTH = env_int("MAX_CONTENT_LENGTH", 16 * 1024 * 1024)
    MAX_IMAGE_PIXELS = env_int("MAX_IMAGE_PIXELS", 40_000_000)
    # Pictures processed at once (native threads, off the event loop); each holds up to a
    # few hundred MB while a large photo is decoded.
    IMAGE_WORKERS = env_int("IMAGE_WORKERS", 2)
    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    # Open Socket.IO connections per user (every tab holds one); the next is refused. An
    # entry left by a killed process stops counting after SOCKET_SLOT_TTL seconds.
    MAX_SOCKETS_PER_USER = env_int("MAX_SOCKETS_PER_USER", 20)
    SOCKET_SLOT_TTL = env_int("SOCKET_SLOT_TTL", 6 * 3600)
    # The Redis channel of the queue (and prefix of the open-conversation keys). Empty: one
    # derived from the database URL, so two stacks sharing one Redis never hear each other
    # while every process of one stack (same database) shares it.
    SOCKETIO_CHANNEL = os.environ.get("SOCKETIO_CHANNEL", "")
    # Engine.IO heartbeat: the server pings every PING_INTERVAL s and drops a socket that does
    # not answer within PING_TIMEOUT s (a half-open connection: a phone that lost its network).
    # Engine.IO's own defaults: shorter ones dropped slow but live clients under load.
    SOCKETIO_PING_INTERVAL = env_int("SOCKETIO_PING_INTERVAL", 25)
    SOCKETIO_PING_TIMEOUT = env_int("SOCKETIO_PING_TIMEOUT", 20)
    SITE_URL = os.environ.get("SITE_URL", "http://localhost:5000").rstrip("/")
    DOMAIN = os.environ.get("DOMAIN", "localhost")
    CERTBOT_EMAIL = os.environ.get("CERTBOT_EMAIL", "")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = env_int("MAIL_PORT", 587)
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", True)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Garage <noreply@localhost>")
    # Development and tests: mails are written to the log instead of sent.
    MAIL_TO_LOG = env_bool("MAIL_TO_LOG", True)
    # Support (app/support): the team inbox new requests are mailed to (empty: each moderator
    # and admin with a confirmed address), and how many requests one address or account may send.
    SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "")
    SUPPORT_RATE_LIMIT = os.environ.get("SUPPORT_RATE_LIMIT", "5 per hour")

    # One cache (app/core/cache.py): Redis, shared by every web process, when CACHE_REDIS_URL
    # is set (production); else a cache local to the process of CACHE_THRESHOLD entries.
    # Keys start with CACHE_KEY_PREFIX (empty: one derived from the database URL, like the
    # Socket.IO channel). Values expire after these seconds at the latest; edits retire
    # them in every process at once. 0 turns a cache off.
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL") or None
    CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "")
    CACHE_THRESHOLD = env_int("CACHE_THRESHOLD", 5000)
    CACHE_CATALOG_SECONDS = env_int("CACHE_CATALOG_SECONDS", 300)  # select options, city names, filter forms
    CACHE_FORUM_SECONDS = env_int("CACHE_FORUM_SECONDS", 10)  # anonymous visitors' post and topic lists
    # Search pages for visitors who are not signed in, shared for this long (app/core/page_cache.py).
    CACHE_SEARCH_SECONDS = env_int("CACHE_SEARCH_SECONDS", 5)
    # Per filter set: the estimated total and which Top listings match (app/listings/search.py).
    CACHE_SEARCH_FACTS_SECONDS = env_int("CACHE_SEARCH_FACTS_SECONDS", 30)
    # Listing cards' HTML per process (app/listings/cards.py): entries of about 2 KB; 0 = off.
    LISTING_CARD_CACHE_SIZE = env_int("LISTING_CARD_CACHE_SIZE", 5000)
    # Background jobs (app/core/jobs.py, docs/architecture.md "Jobs"): an RQ queue on this
    # Redis, run by `flask jobs worker`. Empty: each job runs in the process that queued it,
    # right after the commit (make run on a fresh machine, the tests).
    JOBS_REDIS_URL = os.environ.get("JOBS_REDIS_URL", "")
    # The queue's name; empty: the Socket.IO channel's (derived from DATABASE_URL), so two
    # stacks sharing one Redis never run each other's jobs.
    JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "")
    # A failed job is tried again after each of these waits (seconds): 5 retries over ~1.5 h.
    JOBS_RETRY_INTERVALS = env_seconds("JOBS_RETRY_INTERVALS", "10,60,300,900,3600")
    JOBS_TIMEOUT = env_int("JOBS_TIMEOUT", 300)
    # The scheduler (`flask jobs scheduler`) looks for due periodic tasks this often (seconds)
    # and touches SCHEDULER_HEARTBEAT_FILE each time (its container's health check).
    SCHEDULER_TICK = env_int("SCHEDULER_TICK", 30)
    SCHEDULER_HEARTBEAT_FILE = os.environ.get("SCHEDULER_HEARTBEAT_FILE", "")
    # `python run.py` (make run) runs the scheduler in its own process too.
    SCHEDULER_IN_PROCESS = env_bool("SCHEDULER_IN_PROCESS", False)
    # Periodic clean-up: listing_views rows only stop a visitor being counted twice a day.
    LISTING_VIEWS_KEEP_DAYS = env_int("LISTING_VIEWS_KEEP_DAYS", 30)
    # An uploaded file no row names is deleted once it is this old (an upload in progress,
    # or a forum picture not yet posted, is younger).
    ORPHAN_UPLOAD_HOURS = env_int("ORPHAN_UPLOAD_HOURS", 24)

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    # Failed sign-ins (app/auth/throttle.py, docs/security.md): per client address, per
    # account and address, and per account for browsers that never signed in to it.
    LOGIN_ADDRESS_LIMIT = os.environ.get("LOGIN_ADDRESS_LIMIT", "30 per 10 minutes")
    LOGIN_PAIR_LIMIT = os.environ.get("LOGIN_PAIR_LIMIT", "10 per 10 minutes")
    LOGIN_ACCOUNT_LIMIT = os.environ.get("LOGIN_ACCOUNT_LIMIT", "50 per hour")
    # Pictures one member may upload (listing photos, avatar, forum and chat pictures
    # together; each file of a multi-file upload counts).
    PHOTO_UPLOAD_RATE_LIMIT = os.environ.get("PHOTO_UPLOAD_RATE_LIMIT", "100 per hour")
    # Behind nginx: trust one proxy hop for the client address and scheme. Never the
    # forwarded host unless PROXY_FIX_X_HOST=1 (links in mails come from SITE_URL anyway).
    PROXY_FIX = env_bool("PROXY_FIX", False)
    PROXY_FIX_X_HOST = env_int("PROXY_FIX_X_HOST", 0)
    # The hosts app/main/hosts.py answers (env TRUSTED_HOSTS adds names). Not Flask's own
    # TRUSTED_HOSTS: its check fails inside Flask before URLs can be built, so its 400 page
    # itself crashed into a 500, and it cannot exempt the container's health check.
    ALLOWED_HOSTS = trusted_hosts(SITE_URL, DOMAIN, local=True)

    PASSWORD_RESET_MAX_AGE = env_int("PASSWORD_RESET_MAX_AGE", 3600)
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None

    BOOTSTRAP_SERVE_LOCAL = True
    # Flask-Compress: pages and static files compressed by the app itself (development,
    # tests); production leaves it to nginx (app/main/assets.py).
    COMPRESS_IN_APP = env_bool("COMPRESS_IN_APP", True)
    BOOTSTRAP_BOOTSWATCH_THEME = None
    # Languages of the site (app/i18n): the first pick when the browser asks for none of them,
    # and the one time zone every date is shown in (the database stores UTC).
    LANGUAGES = ["ru", "kk", "en"]
    DEFAULT_LOCALE = os.environ.get("DEFAULT_LOCALE", "ru")
    BABEL_DEFAULT_LOCALE = DEFAULT_LOCALE
    BABEL_DEFAULT_TIMEZONE = os.environ.get("BABEL_DEFAULT_TIMEZONE", "Asia/Almaty")
    # Serve /uploads from Flask (development); nginx does it in production.
    SERVE_UPLOADS = True
    # Answer private files with X-Accel-Redirect for nginx instead of sending bytes.
    USE_X_ACCEL = env_bool("USE_X_ACCEL", False)
    SEED_DEMO_PASSWORD = os.environ.get("SEED_DEMO_PASSWORD", "garage-demo")
    # Promotions and the listing lifecycle (README, "Raising, promotion and expiry"): one free
    # raise per LISTING_FREE_RAISE_HOURS; Top listings shown above a search's results
    # (TOP_SLOTS at a time, in turn); a listing leaves search LISTING_LIFETIME_DAYS after
    # publication or its last renewal, its owner told LISTING_EXPIRY_NOTICE_DAYS before.
    LISTING_FREE_RAISE_HOURS = env_int("LISTING_FREE_RAISE_HOURS", 24)
    LISTING_LIFETIME_DAYS = env_int("LISTING_LIFETIME_DAYS", 30)
    LISTING_EXPIRY_NOTICE_DAYS = env_int("LISTING_EXPIRY_NOTICE_DAYS", 3)
    TOP_SLOTS = env_int("TOP_SLOTS", 3)
    PROMOTION_PRICES = env_prices(
        "PROMOTION_PRICES", {"top_1": 2000, "top_3": 5000, "top_7": 10000, "highlight_7": 1500, "raise": 700}
    )
    # Payments (app/payments): the provider buyers pay through ("sandbox": the built-in one
    # that takes no money; "": online payment off) and the secret its callbacks are signed
    # with (empty: derived from SECRET_KEY, for development only).
    PAYMENTS_PROVIDER = os.environ.get("PAYMENTS_PROVIDER", "sandbox")
    PAYMENTS_SANDBOX_SECRET = os.environ.get("PAYMENTS_SANDBOX_SECRET", "")


class DevelopmentConfig(Config):
    DEBUG = False  # the reloader would fork under Socket.IO; set FLASK_DEBUG to opt in
    TEMPLATES_AUTO_RELOAD = True
    SCHEDULER_IN_PROCESS = env_bool("SCHEDULER_IN_PROCESS", True)


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or sqlite_url("test.db")
    RATELIMIT_STORAGE_URI = "memory://"
    SOCKETIO_MESSAGE_QUEUE = None
    # Off unless a test turns them on: tests write rows behind the services' backs (no
    # invalidation) and reuse ids from one test to the next.
    CACHE_REDIS_URL = None
    CACHE_CATALOG_SECONDS = 0
    CACHE_FORUM_SECONDS = 0
    CACHE_SEARCH_SECONDS = 0
    CACHE_SEARCH_FACTS_SECONDS = 0
    JOBS_REDIS_URL = ""  # in-process jobs; tests/jobs give their own worker processes a queue
    MAIL_TO_LOG = True
    SERVER_NAME = None
    # Tests written against the English texts get English when they ask for no language;
    # the i18n tests ask for ru and kk themselves (?lang, cookie, Accept-Language).
    DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_LOCALE = "en"


class ProductionConfig(Config):
    SERVE_UPLOADS = env_bool("SERVE_UPLOADS", False)
    USE_X_ACCEL = env_bool("USE_X_ACCEL", True)
    PROXY_FIX = env_bool("PROXY_FIX", True)
    MAIL_TO_LOG = env_bool("MAIL_TO_LOG", False)
    SESSION_COOKIE_SECURE = env_bool("COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = env_bool("COOKIE_SECURE", True)
    # "__Host-": the browser keeps it only when Secure, Path=/ and without Domain, so no
    # sibling subdomain or plain-HTTP page can plant or overwrite the session cookie.
    SESSION_COOKIE_NAME = "__Host-session" if SESSION_COOKIE_SECURE else "session"
    SESSION_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = None
    REMEMBER_COOKIE_NAME = "__Host-remember_token" if REMEMBER_COOKIE_SECURE else "remember_token"
    REMEMBER_COOKIE_PATH = "/"
    REMEMBER_COOKIE_DOMAIN = None
    PREFERRED_URL_SCHEME = "https"
    ALLOWED_HOSTS = trusted_hosts(Config.SITE_URL, Config.DOMAIN, local=False)
    # Socket.IO accepts pages of the site itself: SITE_URL's origin (nginx passes the Host
    # without its port, so the same-origin default would refuse a site on a custom port).
    SOCKETIO_CORS_ORIGINS = env_list("SOCKETIO_CORS_ORIGINS") or [origin(Config.SITE_URL)]
    COMPRESS_IN_APP = env_bool("COMPRESS_IN_APP", False)  # nginx compresses
    # The sandbox takes no money: production has online payment off until an operator
    # chooses a provider (a staging site may choose "sandbox" with its own secret).
    PAYMENTS_PROVIDER = os.environ.get("PAYMENTS_PROVIDER", "")

    @classmethod
    def check(cls) -> None:
        """Refuse to start with a missing or default secret or without a database."""
        secret = os.environ.get("SECRET_KEY", "")
        if not secret or secret == DEFAULT_SECRET or len(secret) < 16:
            raise RuntimeError(
                "SECRET_KEY must be set to a long random value in production "
                "(python -c 'import secrets; print(secrets.token_hex(32))')."
            )
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError("DATABASE_URL must be set in production.")
        if os.environ.get("PAYMENTS_PROVIDER") == "sandbox" and len(os.environ.get("PAYMENTS_SANDBOX_SECRET", "")) < 16:
            raise RuntimeError("PAYMENTS_PROVIDER=sandbox needs a long random PAYMENTS_SANDBOX_SECRET in production.")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
