"""The editor's Preview and the forum's pictures: the preview is the server's own sanitised
rendering (CSRF, sign-in, size and rate limits), a quote turns pictures into links, and a
posted picture fits the column, loads lazily and opens full size."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from app.extensions import db
from app.markup import render_markdown
from app.models import Post
from tests.conftest import csrf_token
from tests.forum.helpers import make_topic, make_user
from tests.images import png


def preview(client, body, token=None, **extra):
    token = csrf_token(client, "/forum/") if token is None else token
    return client.post("/forum/preview", data={"body": body, **extra}, headers={"X-CSRFToken": token})


def test_preview_shows_the_sanitised_post_and_stores_nothing(client, auth):
    make_user("daniyar")
    auth.login("daniyar")
    posts_before = db.session.scalar(select(func.count()).select_from(Post))
    response = preview(
        client,
        "**Winter tyres** <script>alert(1)</script> [x](javascript:alert(1)) ![tracker](https://evil.example/t.png)",
    )
    assert response.status_code == 200
    html = response.get_json()["html"]
    assert "<strong>Winter tyres</strong>" in html
    assert "<script" not in html and 'href="javascript' not in html
    assert '<a href="https://evil.example/t.png" rel="nofollow ugc noopener">tracker</a>' in html  # not an <img>
    assert db.session.scalar(select(func.count()).select_from(Post)) == posts_before


def test_preview_refuses_strangers_forged_requests_and_bad_text(client, auth):
    assert preview(client, "hi", token=csrf_token(client, "/auth/login")).status_code == 302  # sign in first
    make_user("daniyar")
    auth.login("daniyar")
    assert preview(client, "hi", token="forged").status_code == 400  # CSRF
    empty = preview(client, "  \x00 ")
    assert empty.status_code == 400 and "empty" in empty.get_json()["error"]
    long = preview(client, "a" * 20_001)
    assert long.status_code == 400 and "too long" in long.get_json()["error"]
    huge = preview(client, "a" * 300_000)
    assert huge.status_code == 413 and huge.get_json()["error"]


def test_preview_is_rate_limited(client, auth):
    make_user("daniyar")
    auth.login("daniyar")
    token = csrf_token(client, "/forum/")
    answers = [preview(client, f"draft {n}", token=token).status_code for n in range(31)]
    assert answers[:30] == [200] * 30 and answers[30] == 429


def test_a_quote_carries_the_text_and_links_the_pictures(client, auth):
    author = make_user("aigerim")
    topic = make_topic(
        author,
        body='My Sonata:\n\n![after the wash](/uploads/posts/a_full.jpg "clean")\n\n![](/uploads/posts/b_full.jpg)',
    )
    first = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    make_user("daniyar")
    auth.login("daniyar")
    quote = client.get(f"/forum/p/{first.id}/quote").get_json()["markdown"]
    assert "> My Sonata:" in quote
    assert "> [after the wash](/uploads/posts/a_full.jpg)" in quote
    assert "> [picture](/uploads/posts/b_full.jpg)" in quote
    assert "![" not in quote


def test_a_posted_picture_fits_loads_lazily_and_opens_full_size(client, auth):
    make_user("daniyar")
    auth.login("daniyar")
    token = csrf_token(client, "/forum/")
    uploaded = client.post(
        "/forum/upload",
        data={"image": (io.BytesIO(png(size=(640, 480))), "car.png")},
        headers={"X-CSRFToken": token},
        content_type="multipart/form-data",
    ).get_json()
    html = preview(client, f"Look: {uploaded['markdown']}", token=token).get_json()["html"]
    url = re.escape(uploaded["url"])
    assert re.search(
        rf'<a href="{url}" class="post-image-link" rel="nofollow ugc noopener"><img src="{url}" alt="" '
        r'class="post-image" loading="lazy" decoding="async" width="640" height="480"></a>',
        html,
    ), html
    linked = render_markdown(f"[see the listing](/listings/1) [![thumb]({uploaded['url']})](/listings/1)")
    assert linked.count("<a ") == 2  # a picture already inside a link is not wrapped again
