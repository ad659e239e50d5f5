"""Per-post links on the topic page, built from patterns made once per request.

`url_for` for every link of every post (author, avatar, permalink, quote, edit, delete,
report) was about a fifth of the topic page's time; the patterns below are built with
`url_for` once, and each post's links are then plain string formatting.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import url_for

from app.media import image_url

MARKER = 987654321


def pattern(endpoint: str, **values) -> str:
    """url_for with a marker id, turned into a str.format pattern."""
    return url_for(endpoint, **values).replace(str(MARKER), "{0}")


class PostLinks:
    def __init__(self, topic_id: int) -> None:
        self.permalink = pattern("forum.permalink", post_id=MARKER)
        self.quote_json = pattern("forum.quote", post_id=MARKER)
        self.reply_quote = pattern("forum.reply", topic_id=topic_id, quote=MARKER)
        self.edit = pattern("forum.edit_post", post_id=MARKER)
        self.delete = pattern("forum.delete_post", post_id=MARKER)
        self.restore = pattern("forum.restore_post", post_id=MARKER)
        self.report = pattern("reports.new", target_type="post", target_id=MARKER)
        self.profile_pattern = url_for("profile.show", username="__u__").replace("__u__", "{0}")
        self.avatar_pattern = url_for("profile.default_avatar", username="__u__").replace("__u__", "{0}")

    def profile(self, user) -> str:
        return self.profile_pattern.format(quote(user.username, safe=""))

    def avatar(self, user) -> str:
        """The 64 px avatar, as `avatar_url(user, 64)` gives it."""
        if user.avatar:
            return image_url("avatars", user.avatar, "64")
        return self.avatar_pattern.format(quote(user.username, safe=""))


class TopicLinks:
    """Links of the rows of a topic list (category page)."""

    def __init__(self) -> None:
        self.topic = pattern("forum.topic", topic_id=MARKER)
        self.permalink = pattern("forum.permalink", post_id=MARKER)

    def latest(self, topic) -> str:
        return self.permalink.format(topic.last_post_id) if topic.last_post_id else self.topic.format(topic.id)
