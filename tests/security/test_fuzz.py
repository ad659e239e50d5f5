"""Issue 13 item 6: no request makes the site answer 500. Hypothesis drives every route of
the URL map - GET with hostile values for every query argument the site reads, POST with
hostile values in every form field (a valid CSRF token, signed in as an administrator, so
every page and form is reachable), starting from a valid form where there is one so the
hostile value reaches the database - with NUL and control characters, superscript and
Arabic-Indic digits, lone surrogates, 30-digit numbers, RTL marks, 100 kB strings, NaN and
infinities (a fresh one-time form token each time, so creation forms reach the database);
and POST again with hostile files (not pictures, truncated, bombs, broken EXIF, odd modes
and shapes, under hostile file names) in every file field the site reads. The routes, query
argument names, form and file field names are all discovered (the URL map, the forms, the
source), so a route added later is attacked without editing this file. Any 5xx fails, and
so does any exception the app logs (tests/conftest.py). Socket.IO events: test_fuzz_socket.py.

FUZZ_EXAMPLES (default 2) sets the examples per route: about 90 routes, a few hundred
requests, well under a minute on an idle machine.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import select
from wtforms import FileField
from wtforms.fields.core import Field, UnboundField

from app.edits import new_token
from app.extensions import db, limiter
from app.listings.filters import RULES
from app.models import Post, Review, SupportMessage, SupportTicket
from tests import factories, images
from tests.conftest import ROOT, AuthActions, csrf_token
from tests.forum.helpers import make_category, make_topic
from tests.listings.helpers import listing_form

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
HOSTILE_VALUES = [
    "\x00", "a\x00b", "\x07\x1b[31m\x7f", "²", "³¹", "١٢٣", "9" * 30, "-1", "+5", "0", "2147483648",
    "1e999", "NaN", "sNaN", "inf", "-Infinity", "\ud800", "a\udfffb", "\u202eevil\u200f", "x" * 100_000,
    "", " ", "../../etc/passwd", "<script>alert(1)</script>", "javascript://x%0aalert(1)",
    "2024-01-01T00:00:00~²", "9" * 30 + "~" + "9" * 30, "😀" * 50,
]  # fmt: skip
HOSTILE = st.one_of(st.sampled_from(HOSTILE_VALUES), st.text(max_size=40))
NUMBERS = st.one_of(st.integers(), st.sampled_from([10**30, -(10**30), 2**31, 2**63, -1, 0]), st.floats(allow_nan=True))
# Any JSON value: hostile text and numbers, booleans, null, nested lists and objects.
JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), NUMBERS, HOSTILE),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
# JSON no serializer writes but a script can send: nesting deeper than Python's recursion
# limit, a bare value, an unterminated document, invalid UTF-8.
RAW_JSON = [b"[" * 50_000 + b"]" * 50_000, b'{"ids":' * 5000 + b"1" + b"}" * 5000, b"7", b'{"ids": [1,', b"\xff\xfe"]


def source_names(pattern: str) -> set[str]:
    """Names the site reads from the request, found in its source (`request.args.get("x"`...)."""
    found: set[str] = set()
    for path in Path(ROOT, "app").rglob("*.py"):
        found.update(re.findall(pattern, path.read_text()))
    return found


def form_field_names(kind: type = Field) -> set[str]:
    """The names of the site's form fields (of one kind: FileField for uploads)."""

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {
        name
        for form in subclasses(FlaskForm)
        for name, value in vars(form).items()
        if isinstance(value, UnboundField) and issubclass(value.field_class, kind)
    }


QUERY_NAMES = sorted(
    source_names(r'(?:request\.args\.get|int_arg)\(\s*"(\w+)"')
    | {rule.name for rule in RULES}
    | {"q", "sort", "after", "page", "next", "lang"}
)
FORM_NAMES = sorted(
    form_field_names() | source_names(r'request\.form\.get\(\s*"(\w+)"') | {"ids", "action", "direction"}
)
FILE_NAMES = sorted(form_field_names(FileField) | source_names(r'request\.files\.(?:get|getlist)\(\s*"(\w+)"'))


def picture(mode: str, size: tuple[int, int], kind: str = "PNG", **options) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, kind, **options)
    return out.getvalue()


def broken_exif() -> bytes:
    """A JPEG whose EXIF block points past its end (the orientation cannot be read)."""
    jpeg = images.jpeg_with_gps(size=(64, 48), orientation=6)
    start = jpeg.index(b"Exif\x00\x00") + 10  # after the byte order and the TIFF magic
    return jpeg[:start] + b"\xff\xff\xff\x7f" + jpeg[start + 4 :]


def hostile_files() -> list[bytes]:
    jpeg = images.jpeg_with_gps(size=(64, 48), orientation=8)
    return [
        b"", images.TEXT_AS_JPEG, images.SVG, images.bomb(), jpeg[: len(jpeg) // 2], broken_exif(),
        picture("I;16", (40, 30)), picture("CMYK", (40, 30), "JPEG"),
        picture("LA", (40, 30)), picture("P", (40, 30), transparency=0), picture("1", (1, 30_000)),
        picture("RGB", (30_000, 1), "GIF"), picture("RGBA", (40, 30), "WEBP"), picture("RGB", (40, 30), "TIFF"),
        picture("RGB", (40, 30), "GIF", save_all=True, append_images=[Image.new("RGB", (40, 30))] * 50),
    ]  # fmt: skip


HOSTILE_FILENAMES = ["car.jpg", "", "../../etc/passwd", "a\x00.jpg", 'a".jpg', "😀" * 60 + ".png", "x" * 1000]


@pytest.fixture
def world(app):
    """One of everything a route can point at, and an administrator's signed-in client."""
    admin = factories.make_user("fuzzadmin", role="admin")
    seller = factories.make_user("fuzzseller", role="dealer")
    listing = factories.make_listing(admin)  # the fuzzer's own: edit, photo and status forms open
    category = make_category()
    topic = make_topic(author=seller, category=category, replies=1)
    review = Review(author_id=admin.id, seller_id=seller.id, rating=4, text="Fine.")
    ticket = SupportTicket(email="guest@example.kz", subject="Help", access_key="k" * 32)
    ticket.messages.append(SupportMessage(body="Please help."))
    db.session.add_all([review, ticket])
    db.session.commit()
    values = {
        "listing_id": listing.id, "photo_id": 1, "search_id": 1, "topic_id": topic.id,
        "post_id": db.session.scalar(select(Post.id).where(Post.topic_id == topic.id).limit(1)),
        "category_id": category.id,
        "brand_id": listing.brand_id, "model_id": listing.model_id, "region_id": listing.region_id,
        "notification_id": 1, "user_id": seller.id, "target_id": listing.id, "target_type": "listing",
        "username": seller.username, "slug": category.slug, "token": "x" * 40, "name": "x", "variant": "full",
        "filename": "listings/x_card.jpg", "locale": "ru", "provider_name": "sandbox", "ref": "sbx_x",
        "review_id": review.id, "ticket_id": ticket.id, "key": ticket.access_key,
    }  # fmt: skip
    client = app.test_client()
    AuthActions(client).login("fuzzadmin")
    token = csrf_token(client, "/settings")
    baselines = {
        "listings.new": listing_form(client),
        "listings.edit": listing_form(client, f"/listings/{listing.id}/edit"),
        "profile.settings": {"display_name": "Fuzz", "city": "Almaty", "about": "", "phone": ""},
        "profile.dealer_settings": {"company_name": "Fuzz Motors", "website": "https://fuzz.kz"},
        "profile.review": {"rating": "5", "text": "Fine."},
        "forum.new_topic": {"title": "A title", "body": "A body"},
        "forum.reply": {"body": "A reply"},
        "forum.edit_post": {"title": "A title", "body": "A body"},
        "reports.new": {"category": "spam", "reason": "Spam"},
        "support.contact": {"name": "Fuzz", "email": "fuzz@example.kz", "subject": "Help", "body": "Text"},
        "support_admin.ticket": {"body": "An answer"},
        "profile.reply_to_review": {"reply": "Thanks"},
        "listings.saved_searches": {"name": "Cheap", "query": "year_from=2010"},
        "admin.ban": {"duration": "1", "reason": "Spam"},
        "admin.edit_page": {"title": "About", "body_markdown": "Text"},
        "payments.admin_promo_codes": {"code": "FUZZ10", "kind": "percent", "value": "10", "max_uses": "5"},
        "admin.warn": {"message": "Please stop."},
        "forum.admin_new_category": {"name": "Fuzz cars"},
        "forum.admin_edit_category": {"name": "Fuzz cars"},
    }
    return {"admin": admin, "values": values, "client": client, "token": token, "baselines": baselines}


def routes(app, method: str) -> list:
    skip = {"static", "bootstrap.static", "auth.logout"}  # files; signing the fuzzer out
    return sorted(
        (rule for rule in app.url_map.iter_rules() if method in rule.methods and rule.endpoint not in skip),
        key=lambda rule: rule.endpoint,
    )


def encode(value: str) -> str:
    """Percent-encode as a hostile client would send it: lone surrogates as their raw bytes."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def build_path(rule, values: dict, hostile: dict) -> str:
    def segment(match: re.Match) -> str:
        name = match.group(2)
        value = hostile.get(name, values.get(name, "x"))  # "x": a route added later
        return encode(str(value)) if match.group(1) != "path" else str(value)

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", segment, rule.rule)


def form_body(fields: dict) -> bytes:
    return "&".join(f"{encode(name)}={encode(str(value))}" for name, value in fields.items()).encode()


def path_strategy(rule):
    string_args = [
        name for name, converter in rule._converters.items() if type(converter).__name__ != "DatabaseIdConverter"
    ]
    if not string_args:
        return st.just({})
    return st.dictionaries(st.sampled_from(string_args), HOSTILE, max_size=1)


def check(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code} {response.get_data(as_text=True)[:300]}"


def walk(rules, attack_route) -> None:
    """Attack each route; report every route that gave a server error, not just the first."""
    failures = []
    for rule in rules:
        try:
            attack_route(rule)
        except AssertionError as error:
            failures.append(f"{rule.endpoint}: {str(error).splitlines()[0][:400]}")
    assert not failures, "\n".join(failures)


def test_hostile_query_arguments_never_give_a_server_error(app, world):
    client, values = world["client"], world["values"]
    walk(routes(app, "GET"), lambda rule: attack_query(client, values, rule))


def attack_query(client, values: dict, rule) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(args=st.dictionaries(st.sampled_from(QUERY_NAMES), HOSTILE, max_size=4), in_path=path_strategy(rule))
    def attack(args, in_path):
        query = "&".join(f"{encode(name)}={encode(value)}" for name, value in args.items())
        url = build_path(rule, values, in_path) + ("?" + query if query else "")
        check(client.get(url, headers={"Accept": "text/html"}), f"GET {url[:200]}")

    attack()


def test_hostile_form_fields_never_give_a_server_error(app, world):
    walk(routes(app, "POST"), lambda rule: attack_form(world, rule))


def attack_form(world: dict, rule) -> None:
    client, values, token = world["client"], world["values"], world["token"]
    baseline = world["baselines"].get(rule.endpoint, {})

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(
        fields=st.dictionaries(
            st.sampled_from(sorted(set(FORM_NAMES) | set(baseline))), HOSTILE, min_size=1, max_size=3
        ),
        in_path=path_strategy(rule),
    )
    def attack(fields, in_path):
        # a fresh one-time form token each time, so a creation form reaches the database
        data = {**baseline, "form_token": new_token(), **fields, "csrf_token": token}
        url = build_path(rule, values, in_path)
        response = client.post(
            url, data=form_body(data), content_type="application/x-www-form-urlencoded", headers={"Accept": "text/html"}
        )
        check(response, f"POST {url[:200]} {sorted(fields)}")

    attack()


SHARPEST = ["x" * 100_000, "9" * 30, "a\x00b", "²", "sNaN", "-1", "\ud800"]


def test_every_field_of_a_valid_form_takes_the_sharpest_values(app, world):
    """Not left to chance: each field of each known valid form, one at a time, gets each of
    the values that used to give 500s (too long for a column, too big for an integer, NUL,
    a superscript digit, sNaN, a negative number, a lone surrogate)."""
    client, values, token = world["client"], world["values"], world["token"]
    rules = {rule.endpoint: rule for rule in routes(app, "POST")}
    failures = []
    for endpoint, baseline in world["baselines"].items():
        url = build_path(rules[endpoint], values, {})
        for name in baseline:
            for value in SHARPEST:
                data = {**baseline, "form_token": new_token(), name: value, "csrf_token": token}
                response = client.post(url, data=form_body(data), content_type="application/x-www-form-urlencoded")
                if response.status_code >= 500:
                    failures.append(f"{endpoint} {name}={value[:12]!r}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_hostile_json_bodies_never_give_a_server_error(app, world):
    """Every POST route gets JSON (as the photo-order and upload scripts send it): any value
    where an object is expected, hostile keys and values, and raw documents no serializer
    writes."""
    walk(routes(app, "POST"), lambda rule: attack_json(world, rule))


def attack_json(world: dict, rule) -> None:
    client, values, token = world["client"], world["values"], world["token"]
    url = build_path(rule, values, {})
    keys = st.sampled_from(sorted(set(FORM_NAMES) | {"ids"}))

    def send(body: bytes, what: str) -> None:
        headers = {"X-CSRFToken": token, "Accept": "application/json"}
        check(client.post(url, data=body, content_type="application/json", headers=headers), f"POST {url} {what}")

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(payload=st.one_of(st.dictionaries(keys, JSON, max_size=3), JSON))
    def attack(payload):
        send(json.dumps(payload).encode("utf-8", "surrogatepass"), str(payload)[:200])

    attack()
    for raw in RAW_JSON:
        send(raw, repr(raw[:20]))


def test_every_route_of_the_site_is_walked(app):
    """A route added later is fuzzed too: only the static files and sign-out are left out."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    walked = {rule.endpoint for rule in routes(app, "GET") + routes(app, "POST")}
    assert endpoints - walked == {"static", "bootstrap.static", "auth.logout"}


def test_hostile_uploads_never_give_a_server_error(app, world):
    """Every POST route gets pictures that are not pictures, broken, truncated, bombs, odd
    modes and shapes, under hostile file names, in every file field the site reads."""
    files = hostile_files()
    walk(routes(app, "POST"), lambda rule: attack_upload(world, rule, files))


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """A multipart body written by hand, as an attacker's script sends it (raw file names)."""
    boundary = "fuzz" + new_token()[:16].replace("-", "").replace("_", "")
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode(
            "utf-8", "surrogatepass"
        )
        for name, value in fields.items()
    ]
    for name, (filename, content) in files.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        parts.append(head.encode("utf-8", "surrogatepass") + b"Content-Type: image/jpeg\r\n\r\n" + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def attack_upload(world: dict, rule, files: list[bytes]) -> None:
    client, values, token = world["client"], world["values"], world["token"]
    baseline = world["baselines"].get(rule.endpoint, {})

    url = build_path(rule, values, {})
    for number, content in enumerate(files):  # every file, each under one of the hostile names
        filename = HOSTILE_FILENAMES[number % len(HOSTILE_FILENAMES)]
        limiter.reset()  # the upload allowance would soon answer 429 before any picture is read
        fields = {**baseline, "form_token": new_token(), "client_id": new_token(), "csrf_token": token}
        body, content_type = multipart(fields, dict.fromkeys(FILE_NAMES, (filename, content)))
        response = client.post(url, data=body, content_type=content_type, headers={"Accept": "text/html"})
        check(response, f"POST {url[:200]} file {number} {filename[:40]!r} ({len(content)} bytes)")
