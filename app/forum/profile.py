"""Template globals of the forum: `forum_activity(user)` for the profile page and
`plain_excerpt(markdown)` for search results."""

from __future__ import annotations

from flask import Flask

from app.forum import services
from app.markup import plain_text


def register_profile_helpers(app: Flask) -> None:
    app.add_template_global(services.user_activity, "forum_activity")
    app.add_template_global(plain_text, "plain_excerpt")
