"""Safe markdown: an XSS corpus rendered inert, links marked, images only from our uploads."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from app.markup import plain_text, render_markdown

XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<iframe src=//evil.example></iframe>",
    "<div style=\"background:url('javascript:alert(1)')\">x</div>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click]( javascript:alert(1) )",
    "[click](javascript&#58;alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;&#x61;vascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](java\u200bscript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](\u202ejavascript:alert(1))",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![x" onerror="alert(1)](/uploads/posts/a_full.jpg)',
    '[x](http://example.com "title\\" onmouseover=\\"alert(1)")',
    '[x](http://example.com" onmouseover="alert(1))',
    '```" onclick="alert(1)\nbody\n```',
    "```js onclick=alert(1)\nx\n```",
    "<<script>script>alert(1)<</script>/script>",
    "<!-- <script>alert(1)</script> -->",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "[x](file:///etc/passwd)",
    '<a href="&#x6A;avascript:alert(1)">y</a>',
    "\ufeff<script>alert(1)</script>",
    "<style>body{display:none}</style>",
    '<form action="//evil.example"><input name=x></form>',
]

ALLOWED_OUTPUT_TAGS = {"p", "a", "img", "code", "pre", "em", "strong", "s", "blockquote", "br"}


class TagCollector(HTMLParser):
    """The real elements and attributes of the output, as a browser would parse them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = TagCollector()
    parser.feed(html)
    return parser.elements


@pytest.mark.parametrize("source", XSS_CORPUS)
def test_the_xss_corpus_is_inert(source):
    html = render_markdown(source)
    for tag, attrs in elements_of(html):
        assert tag in ALLOWED_OUTPUT_TAGS, f"{source!r} produced <{tag}>"
        for name, value in attrs.items():
            assert not name.startswith("on") and name != "style", f"{source!r} produced {name}="
            if name in ("href", "src"):
                scheme = (value or "").strip().split(":", 1)[0].lower() if ":" in (value or "") else ""
                assert scheme in ("", "http", "https", "mailto"), f"{source!r} produced {name}={value!r}"
            if name == "src":
                assert (value or "").startswith("/uploads/")
    assert "\u202e" not in html and "\u200b" not in html


def test_raw_html_is_shown_as_text():
    html = render_markdown("Hello <b>world</b> <script>alert(1)</script>")
    assert "&lt;b&gt;world&lt;/b&gt;" in html
    assert "&lt;script&gt;" in html


def test_links_get_nofollow_ugc_noopener():
    html = render_markdown("[Toyota](https://toyota.example/camry) and <https://kolesa.example>")
    links = re.findall(r"<a [^>]*>", html)
    assert len(links) == 2
    for link in links:
        assert 'rel="nofollow ugc noopener"' in link
    assert 'href="https://toyota.example/camry"' in html


def test_images_only_from_our_uploads():
    ours = render_markdown("![my car](/uploads/posts/abc_full.jpg)")
    assert '<img src="/uploads/posts/abc_full.jpg" alt="my car"' in ours
    foreign = render_markdown("![tracker](https://evil.example/pixel.png)")
    assert "<img" not in foreign
    assert '<a href="https://evil.example/pixel.png"' in foreign  # still reachable as a link
    climbing = render_markdown("![x](/uploads/../instance/garage.db)")
    assert "<img" not in climbing


def test_images_from_the_site_url_are_kept_as_relative(app):
    with app.test_request_context():
        site = app.config["SITE_URL"]
        html = render_markdown(f"![x]({site}/uploads/posts/abc_full.jpg)")
    assert '<img src="/uploads/posts/abc_full.jpg"' in html


def test_code_blocks_keep_their_text_and_language():
    html = render_markdown("```python\nif a < b and c > d:\n    print('<b>')\n```\n\nand `x<y` inline")
    assert '<pre><code class="language-python">if a &lt; b and c &gt; d:' in html
    assert "print('&lt;b&gt;')" in html or "print(&#39;&lt;b&gt;&#39;)" in html
    assert "<code>x&lt;y</code>" in html


def test_ordinary_markdown_survives():
    html = render_markdown(
        "# Oil change\n\n**Bold**, *italic*, ~~old~~\n\n> quoted\n\n1. one\n2. two\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    for fragment in ("<h1>Oil change</h1>", "<strong>Bold</strong>", "<em>italic</em>", "<s>old</s>",
                     "<blockquote>", "<ol>", "<table>", "<td>1</td>"):  # fmt: skip
        assert fragment in html


def test_mentions_link_known_users_only_and_not_inside_code():
    known = {"bob": "/u/bob"}
    html = render_markdown("hi @bob, @nobody, mail me: a@bob.kz, `@bob`", mention_url=known.get)
    assert html.count('class="mention"') == 1
    assert '<a href="/u/bob" class="mention" rel="nofollow ugc noopener">@bob</a>' in html
    assert "<code>@bob</code>" in html


def test_embed_replaces_a_listing_link_alone_on_a_line():
    html = render_markdown(
        "Look:\n\n/listings/42\n\nbut not /listings/43 inside a sentence",
        embed=lambda path: f'<div class="card">{path}</div>',
    )
    assert '<div class="card">/listings/42</div>' in html
    assert "/listings/43 inside" in html


def test_plain_text_excerpt():
    assert plain_text("**Hi** <script>x</script> [link](http://a)") == "Hi <script>x</script> link"
    assert len(plain_text("word " * 200, limit=50)) == 50
