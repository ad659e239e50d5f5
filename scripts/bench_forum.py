"""Benchmark of the forum pages under load (issue 4, item 11).

    .venv/bin/python scripts/bench_forum.py              # fill (once) and measure
    .venv/bin/python scripts/bench_forum.py --fresh      # drop and re-fill the database
    .venv/bin/python scripts/bench_forum.py --profile    # also profile the topic page in-process

What it does:

1. Creates its own PostgreSQL database (default garage_bench_forum on 127.0.0.1, user
   postgres), runs the migrations and fills it through the forum's own services: 40
   members, the demo categories, 200 topics with 1-15 posts each (markdown with quotes,
   code, links and mentions, rendered and sanitized at save time as in production) and one
   topic of exactly 20 posts, the page measured.
2. Starts gunicorn as in production: `-k gevent -w 1 run:app` (docs/architecture.md), production config.
3. Drives wrk (Debian package) with 8 connections for DURATION seconds against the 20-post
   topic page (each request also counts a view: an UPDATE and a commit), the category page
   (25 topics, pinned first, by last activity), the forum index and a static file from the
   same server, and prints p50/p95/p99 and requests/s. Visitors are anonymous.

wrk, gunicorn and PostgreSQL share the same machine; the figures include that contention.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import subprocess
import sys
import time
from datetime import timedelta

from benchkit import PYTHON, ROOT, require_wrk, run_wrk, server_env, start_gunicorn, stop
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

BENCH_TITLE = "Benchmark: Camry 70 or Sonata DN8 for a family?"
PARAGRAPHS = [
    "Check the service book and ask for the VIN before you go. A car that was serviced at the dealer "
    "every **10 000 km** is worth a little more.",
    "> The CVT is the weak point\n\nNot on the 2.5: it has a proper 8-speed automatic. The 2.0 had the CVT.",
    "Tyre pressure in winter: I keep 2.3 bar front and rear, check it when the car is cold.",
    "Here is what the garage wrote:\n\n```\nP0171 System too lean (bank 1)\nP0300 Random misfire\n```\n\n"
    "Turned out to be a cracked intake hose.",
    "Prices on [the listings](https://garage.example/listings?make=toyota) went up about 10% this autumn.",
    "1. Check the paint thickness\n2. Look under the carpets for rust\n3. Test drive on a cold engine",
    "Sold mine last month, it took two weeks. Good photos matter more than the price, honestly.",
    "I had the same noise. It was the timing chain tensioner; replaced under warranty at 60 000 km.",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/garage_bench_forum")
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the database first")
    parser.add_argument("--duration", type=int, default=15, help="seconds per URL")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--profile", action="store_true", help="profile 300 topic-page requests in-process")
    parser.add_argument("--cpu", action="store_true", help="Python CPU time per request, in-process (no wrk)")
    return parser.parse_args()


def env_for(url: str) -> dict[str, str]:
    return server_env(url, SITE_URL="https://garage.example")


def ensure_database(url: str, fresh: bool) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database})
        if exists and fresh:
            connection.execute(text(f'DROP DATABASE "{parsed.database}" WITH (FORCE)'))
            exists = False
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    env = env_for(url)
    subprocess.run([PYTHON, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([PYTHON, __file__, "--fill-only", "--url", url], cwd=ROOT, env=env, check=True)


def fill(url: str) -> None:
    """Runs in a child process with the production environment set."""
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import select

    from app import create_app
    from app.auth import services as accounts
    from app.core.time import utcnow
    from app.extensions import db
    from app.forum import services
    from app.forum.demo import CATEGORIES
    from app.models import ForumCategory, Topic

    app = create_app()
    with app.app_context(), app.test_request_context(base_url="https://garage.example"):
        if db.session.scalar(select(Topic.id).where(Topic.title == BENCH_TITLE)):
            print("forum data already present")
            return
        rng = random.Random(4)
        users = []
        for number in range(40):
            user = accounts.create_user(f"driver{number:02d}", f"driver{number:02d}@example.com", "bench-password-1")
            user.created_at = utcnow() - timedelta(days=30)
            users.append(user)
        categories = []
        for position, (slug, (name, description), *_translations) in enumerate(CATEGORIES, start=1):
            category = ForumCategory(slug=slug, name=name, description=description, position=position)
            db.session.add(category)
            categories.append(category)
        db.session.flush()
        weights = [2, 6, 4, 2, 3, 1, 1]  # buying advice is the busiest
        start = utcnow() - timedelta(days=60)
        for number in range(200):
            category = rng.choices(categories, weights)[0]
            author = rng.choice(users)
            topic = services.create_topic(category, author, f"Topic {number}: {rng.choice(PARAGRAPHS)[:60]}",
                                          rng.choice(PARAGRAPHS))  # fmt: skip
            topic.created_at = topic.last_post_at = start + timedelta(hours=number * 7)
            for _ in range(rng.randint(0, 14)):
                replier = rng.choice(users)
                body = rng.choice(PARAGRAPHS) + (
                    f"\n\n@{author.username} what do you think?" if rng.random() < 0.2 else ""
                )
                services.post_reply(topic, replier, body)
            topic.pinned = number % 60 == 0
            topic.views = rng.randint(10, 5000)
        topic = services.create_topic(categories[1], users[0], BENCH_TITLE, PARAGRAPHS[0])
        for number in range(19):
            body = PARAGRAPHS[(number + 1) % len(PARAGRAPHS)]
            if number % 5 == 0:
                body += f"\n\n@{users[0].username} does that answer it?"
            services.post_reply(topic, users[(number % 39) + 1], body)
        db.session.commit()
        print(f"filled: 40 users, {len(categories)} categories, 201 topics; bench topic {topic.id}")


def pick_urls(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        topic_id = connection.scalar(text("SELECT id FROM topics WHERE title = :t"), {"t": BENCH_TITLE})
        posts = connection.scalar(text("SELECT count(*) FROM posts WHERE topic_id = :t"), {"t": topic_id})
    engine.dispose()
    assert posts == 20, posts
    return [
        ("topic page (20 posts)", f"/forum/t/{topic_id}"),
        ("category page (25 topics)", "/forum/c/buying-advice"),
        ("forum index (7 categories)", "/forum/"),
        ("static file (forum.css)", "/static/css/forum.css"),
    ]


def cpu_per_request(url: str, urls: list[tuple[str, str]]) -> None:
    """Python CPU per request in-process: independent of what else the machine runs."""
    os.environ.update(env_for(url))
    sys.path.insert(0, str(ROOT))
    from app import create_app

    client = create_app().test_client()
    print(f"\n{'page':<28} {'CPU ms':>8} {'wall ms':>8}   (in-process, 300 requests)")
    for label, path in [*urls, ("trivial page (/healthz)", "/healthz"), ("template page (/auth/login)", "/auth/login")]:
        for _ in range(30):
            client.get(path)
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(300):
            client.get(path)
        cpu, wall = (time.process_time() - cpu) / 0.3, (time.perf_counter() - wall) / 0.3
        print(f"{label:<28} {cpu:>8.2f} {wall:>8.2f}")


def profile_topic(url: str, path: str) -> None:
    os.environ.update(env_for(url))
    sys.path.insert(0, str(ROOT))
    from app import create_app

    app = create_app()
    client = app.test_client()
    for _ in range(20):
        client.get(path)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(300):
        client.get(path)
    profiler.disable()
    print(f"\nin-process: {(time.perf_counter() - started) / 300 * 1000:.2f} ms per topic page")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main() -> None:
    args = parse_args()
    require_wrk()
    ensure_database(args.url, args.fresh)
    urls = pick_urls(args.url)
    if args.cpu:
        cpu_per_request(args.url, urls)
        return
    servers, base = start_gunicorn(env_for(args.url))
    results = []
    try:
        for label, path in urls:
            results.append((label, path, run_wrk(base, path, args.duration, args.connections)))
    finally:
        stop(servers)
    print(f"\ngunicorn -k gevent -w 1 · wrk -t1 -c{args.connections} -d{args.duration}s · {os.cpu_count()} cores")
    print(f"{'page':<28} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for label, _path, r in results:
        print(f"{label:<28} {r['rps']:>8.0f} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['p99']:>8.1f} {r['errors']:>7}")
    if args.profile:
        profile_topic(args.url, urls[0][1])


if __name__ == "__main__":
    if "--fill-only" in sys.argv:
        fill(sys.argv[sys.argv.index("--url") + 1])
    else:
        main()
