"""Production refuses to start on unsafe settings."""

import pytest

from app import create_app
from config import DEFAULT_SECRET, ProductionConfig


@pytest.mark.parametrize("secret", [None, "", DEFAULT_SECRET, "short"])
def test_production_refuses_a_missing_or_default_secret(monkeypatch, secret):
    monkeypatch.setenv("DATABASE_URL", "postgresql://garage@db/garage")
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_refuses_to_start_without_a_database(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app(ProductionConfig)


def test_production_cookies_are_secure():
    assert ProductionConfig.SESSION_COOKIE_SECURE and ProductionConfig.REMEMBER_COOKIE_SECURE
    assert ProductionConfig.SESSION_COOKIE_HTTPONLY and ProductionConfig.SESSION_COOKIE_SAMESITE == "Lax"
