"""The moderation-target protocol: what moderators can act on. Each feature registers its
kinds of content from its `init_app`, so the moderation queue shows and removes listings,
posts, messages and users the same way.

    register_target(app, ModerationTarget(kind="post", load=..., ...))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

KEY = "garage.moderation_targets"


@dataclass(frozen=True)
class ModerationTarget:
    kind: str  # "listing", "post", "message", "user"
    load: Callable[[int], Any | None]  # the object by id, or None
    title: Callable[[Any], str]  # a one-line description for the queue
    url: Callable[[Any], str | None]  # where to see it in context (None: no public page)
    excerpt: Callable[[Any], str]  # plain text shown in the queue
    author_id: Callable[[Any], int | None]  # who wrote or owns it (for warn/ban)
    remove: Callable[[Any], None]  # hide it from everyone but moderators
    restore: Callable[[Any], None]  # undo remove
    is_removed: Callable[[Any], bool]


def register_target(app: Flask, target: ModerationTarget) -> None:
    """Make `target.kind` reportable and moderatable in `app`."""
    app.extensions.setdefault(KEY, {})[target.kind] = target


def targets() -> dict[str, ModerationTarget]:
    """The current app's moderation targets by kind."""
    return current_app.extensions.get(KEY, {})
