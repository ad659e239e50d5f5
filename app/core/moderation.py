"""The moderation-target protocol: what moderators can act on. Each feature registers its
kinds of content here, so the moderation queue shows and removes listings, posts, messages
and users the same way.

    register_target(ModerationTarget(kind="post", load=..., ...))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


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


TARGETS: dict[str, ModerationTarget] = {}


def register_target(target: ModerationTarget) -> None:
    TARGETS[target.kind] = target
