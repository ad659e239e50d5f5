"""Demo data for `flask seed`: each feature adds its loader from its `init_app`, and the
loaders run in that order (create_app lists the features so that the catalogue comes before
the listings, and the listings before the forum and chat demos that show listing cards).

A loader takes no argument, adds rows only when they are missing, and returns a one-line
summary (or None when it changed nothing).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

KEY = "garage.demo_loaders"

DemoLoader = Callable[[], str | None]


def add_demo_loader(app: Flask, loader: DemoLoader) -> None:
    app.extensions.setdefault(KEY, []).append(loader)


def demo_loaders(app: Flask) -> list[DemoLoader]:
    return list(app.extensions.get(KEY, []))
