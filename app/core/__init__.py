"""What every feature shares, owned by none of them: time, real-time rooms and disconnects,
the after-commit hook, the shared cache, background jobs and the scheduler, the audit log,
the moderation-target protocol and template helpers.

The core imports only the extensions and libraries, never a feature or `app.models` (the
layers are listed in tests/main/test_architecture.py). `init_app` installs it into an app.
"""

from __future__ import annotations

from flask import Flask

from app.core import after_commit, audit, cache, scheduler, templating

__all__ = ["audit", "init_app", "scheduler"]  # importing the core maps the audit log's and the scheduler's tables


def init_app(app: Flask) -> None:
    after_commit.install()
    cache.init_app(app)
    templating.init_app(app)
