"""Safe markdown for user text (forum posts, static pages): markdown-it-py, then nh3.

`render_markdown(source)` turns markdown into HTML that is safe to show as is:

- raw HTML in the source is never passed through (markdown-it's `html` option is off);
  `<script>` is shown as text;
- links keep only http, https and mailto (and site-relative paths); markdown-it already
  refuses javascript:, vbscript:, file: and data: targets, nh3 checks again;
- every link gets rel="nofollow ugc noopener";
- images are kept only when they come from the site's own `/uploads/`; any other image
  becomes a plain link to its address, so nobody embeds trackers or mixed content; an own
  picture loads lazily, carries its width and height (no layout shift) and, unless it is
  already inside a link, is wrapped in a link that opens it full size;
- fenced and indented code blocks become <pre><code> (class `language-xxx` kept);
- bidi override and zero-width characters are dropped, so text cannot hide its direction
  or disguise a scheme;
- the result is cleaned by nh3 with an explicit allow-list of tags, attributes and classes.

Two optional hooks serve the forum:

- `mention_url(username) -> str | None`: `@username` outside code and links becomes a link
  when the hook returns a URL (the forum returns None for unknown names);
- `embed(url) -> str | None`: a paragraph that is only a site-relative or SITE_URL link
  matching `EMBED_PATTERN` (e.g. `/listings/42`) is replaced by the trusted HTML the hook
  returns (the forum's listing card, rendered by our own autoescaped template).

Render once when text is saved and store the HTML; the pages then print it as is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

import nh3
from flask import current_app, has_app_context
from markdown_it import MarkdownIt
from markdown_it.token import Token

from app.media import storage

MAX_SOURCE = 100_000  # callers refuse longer text with a message first; this is a backstop

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title", "class", "width", "height", "loading", "decoding"},
    "code": {"class"},
    "ol": {"start"},
    "th": {"style"},  # dropped by the style filter below; markdown-it aligns with style=
    "td": {"style"},
}
# class= is kept only with these values (code: `language-xxx` from a fence's info string).
ALLOWED_CLASSES = {"a": {"mention", "post-image-link"}, "img": {"post-image"}}
FIXED_VALUES = {"loading": "lazy", "decoding": "async"}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"

# Bidi embeddings/overrides/isolates, zero-width characters and the BOM.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\x00]")
UPLOAD_SRC = re.compile(r"^/uploads/(?!.*\.\.)[A-Za-z0-9_./-]+$")
CODE_CLASS = re.compile(r"^language-[A-Za-z0-9_+#-]{1,32}$")
MENTION = re.compile(r"(?<![\w@/.])@([A-Za-z0-9_][A-Za-z0-9_.-]{1,29}?)(?=$|[^\w-]|[.-](?:$|[^\w]))")
EMBED_PATTERN = re.compile(r"^/listings/(\d{1,12})/?$")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if UPLOAD_SRC.match(value) else None
    if attribute == "class":
        if tag == "code":
            return value if CODE_CLASS.match(value) else None
        return value if value in ALLOWED_CLASSES.get(tag, ()) else None
    if attribute == "style":
        return None
    if tag == "img" and attribute in ("width", "height"):
        return value if value.isascii() and value.isdigit() and len(value) <= 5 else None
    if attribute in FIXED_VALUES:
        return value if value == FIXED_VALUES[attribute] else None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_attribute_filter,
    url_schemes=URL_SCHEMES,
    link_rel=LINK_REL,
    strip_comments=True,
    clean_content_tags={"script", "style"},
)


def _site_url() -> str:
    return current_app.config.get("SITE_URL", "").rstrip("/") if has_app_context() else ""


def local_path(url: str) -> str | None:
    """`url` as a site-relative path when it points at this site, else None."""
    site = _site_url()
    if site and url.startswith(site + "/"):
        url = url[len(site) :]
    if url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return None


def _render_image(self, tokens, idx, options, env) -> str:
    """Own uploads as <img>; anything else as a link to it (or its alt text)."""
    token = tokens[idx]
    src = local_path(str(token.attrGet("src") or ""))
    alt = self.renderInlineAsText(token.children or [], options, env)
    if src and UPLOAD_SRC.match(src):
        size = _upload_size(src)
        attributes = ' loading="lazy" decoding="async"' + (f' width="{size[0]}" height="{size[1]}"' if size else "")
        image = f'<img src="{escape(src)}" alt="{escape(alt)}" class="post-image"{attributes}>'
        if _inside_link(tokens, idx):
            return image
        return f'<a href="{escape(src)}" class="post-image-link">{image}</a>'
    href = str(token.attrGet("src") or "")
    label = escape(alt or href)
    if not href or not _md.validateLink(href):
        return label
    return f'<a href="{escape(href)}">{label}</a>'


def _inside_link(tokens, idx: int) -> bool:
    depth = 0
    for token in tokens[:idx]:
        depth += 1 if token.type == "link_open" else -1 if token.type == "link_close" else 0
    return depth > 0


def _upload_size(src: str) -> tuple[int, int] | None:
    """Width and height of an own upload (/uploads/...), read from the file's header."""
    if not has_app_context():
        return None
    from PIL import Image

    try:
        with Image.open(storage().path(src.removeprefix("/uploads/"))) as image:
            return image.size
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def _mentions_rule(state) -> None:
    """Core rule: `@name` in plain text (not in code, not inside a link) becomes a link."""
    resolve = state.env.get("mention_url")
    if resolve is None:
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        out: list[Token] = []
        depth = 0
        for child in block.children:
            if child.type == "link_open":
                depth += 1
            elif child.type == "link_close":
                depth -= 1
            if child.type != "text" or depth or "@" not in child.content:
                out.append(child)
                continue
            out.extend(_split_mentions(child.content, resolve))
        block.children = out


def _split_mentions(text: str, resolve: Callable[[str], str | None]) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    for match in MENTION.finditer(text):
        url = resolve(match.group(1))
        if not url:
            continue
        if match.start() > position:
            tokens.append(_text(text[position : match.start()]))
        link = Token("link_open", "a", 1)
        link.attrs = {"href": url, "class": "mention"}
        tokens += [link, _text(match.group(0)), Token("link_close", "a", -1)]
        position = match.end()
    if position < len(text):
        tokens.append(_text(text[position:]))
    return tokens


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)
_md.add_render_rule("image", _render_image)
_md.core.ruler.push("garage_mentions", _mentions_rule)

EMBED_PARAGRAPH = re.compile(r"^<p>([^<>\s]+)</p>$", re.MULTILINE)


def render_markdown(
    source: str,
    *,
    mention_url: Callable[[str], str | None] | None = None,
    embed: Callable[[str], str | None] | None = None,
) -> str:
    """Markdown → sanitized HTML (see the module docstring for what is kept and refused)."""
    source = INVISIBLE.sub("", (source or "")[:MAX_SOURCE])
    html = _cleaner.clean(_md.render(source, {"mention_url": mention_url}))
    if embed is not None:
        html = EMBED_PARAGRAPH.sub(lambda match: _embed(match, embed), html)
    return html


def _embed(match: re.Match, embed: Callable[[str], str | None]) -> str:
    path = local_path(match.group(1).replace("&amp;", "&"))
    if path and EMBED_PATTERN.match(path):
        card = embed(path)
        if card:
            return card
    return match.group(0)


def plain_text(source: str, limit: int = 300) -> str:
    """A one-line plain excerpt of markdown (for moderation queues, notifications)."""
    text = nh3.clean(_md.render(INVISIBLE.sub("", source or "")), tags=set())
    text = re.sub(r"\s+", " ", text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
