"""Benchmark of the listing search at 1,000,000 listings (issue 3, item 10).

    .venv/bin/python scripts/bench_search.py                 # seed (once) and measure
    .venv/bin/python scripts/bench_search.py --fresh         # drop and re-seed the database
    .venv/bin/python scripts/bench_search.py --profile       # profile the search in-process
    .venv/bin/python scripts/bench_search.py --cpu           # CPU ms per request, in-process
    .venv/bin/python scripts/bench_search.py --top 0         # no Top listings (default 1,000)
    .venv/bin/python scripts/bench_search.py --top-cost      # CPU ms per page with the Top slot and without
    .venv/bin/python scripts/bench_search.py --no-page-cache # every page rendered (as for members)

What it does:

1. Creates its own PostgreSQL database (default garage_bench_listings on 127.0.0.1, user postgres),
   runs the migrations, `flask catalog load` and `flask listings generate N` (COPY), unless
   the database already holds N listings; rates the deals once (`flask listings rate-deals`)
   and gives --top listings a running Top slot.
2. Starts gunicorn as in production: `-k gevent -w 1` (one worker per process, docs/architecture.md);
   `--processes 2` starts two such processes sharing the port with SO_REUSEPORT.
3. Drives wrk (Debian package) with 8 connections for DURATION seconds against five typical
   filter-and-sort URLs and two trivial pages on the same server (/healthz: JSON and one
   `SELECT 1`; /auth/login: a template page through base.html without listing queries), and
   prints p50/p95/p99, requests/s and the ratio of each search to the trivial pages.

wrk, gunicorn and PostgreSQL share the same machine; the figures include that contention.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import re
import subprocess
import sys
import time

from benchkit import PYTHON, ROOT, require_wrk, run_wrk, server_env, start_gunicorn, stop
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--url", default="postgresql://postgres@127.0.0.1:5432/garage_bench_listings", help="database URL"
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the database first")
    parser.add_argument("--duration", type=int, default=15, help="seconds per URL")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--processes", type=int, default=1, help="gunicorn processes (each -k gevent -w 1)")
    parser.add_argument("--profile", action="store_true", help="profile 300 search requests in-process")
    parser.add_argument("--cpu", action="store_true", help="Python CPU ms per request, in-process")
    parser.add_argument("--top", type=int, default=1000, help="listings with a running Top slot (paid promotion)")
    parser.add_argument(
        "--top-cost",
        action="store_true",
        help="CPU ms per page with the Top slot shown (TOP_SLOTS) and not (0), alternating in one process",
    )
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="CACHE_SEARCH_SECONDS=0: render every page, as for signed-in members (app/core/page_cache.py)",
    )
    return parser.parse_args()


PAGE_CACHE = {"CACHE_SEARCH_SECONDS": "5"}  # the production default, unless --no-page-cache


def env_for(url: str) -> dict[str, str]:
    return server_env(url, **PAGE_CACHE)


def flask(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "-m", "flask", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        sys.exit(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip()


def ensure_database(url: str, rows: int, fresh: bool) -> None:
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
    flask(env, "db", "upgrade")
    engine = create_engine(url)
    with engine.connect() as connection:
        have = connection.scalar(text("SELECT count(*) FROM listings"))
    engine.dispose()
    if have >= rows:
        print(f"database {parsed.database}: {have:,} listings already there")
        return
    print(flask(env, "catalog", "load"))
    started = time.monotonic()
    print(flask(env, "listings", "generate", str(rows - have)))
    print(f"seeded {rows - have:,} listings in {time.monotonic() - started:.0f} s")


def ensure_deal_ratings(url: str) -> None:
    """Deal ratings as the scheduled task leaves them (cards show their badges; about 3 min
    at 1M listings), once per database."""
    engine = create_engine(url)
    with engine.connect() as connection:
        rated = connection.scalar(text("SELECT EXISTS (SELECT 1 FROM deal_ratings)"))
    engine.dispose()
    if not rated:
        print(flask(env_for(url), "listings", "rate-deals"))


def ensure_top(url: str, count: int) -> None:
    """`count` active listings spread over the table get a Top slot running for a week (as if
    bought), the rest none; a 1,000-listing Top set is far above what a real site sells."""
    engine = create_engine(url)
    with engine.begin() as connection:
        have = connection.scalar(text("SELECT count(*) FROM listings WHERE top_until > now()"))
        if have != count:
            connection.execute(text("UPDATE listings SET top_until = NULL WHERE top_until IS NOT NULL"))
            connection.execute(
                text(
                    "UPDATE listings SET top_until = (now() AT TIME ZONE 'UTC') + interval '7 days' WHERE id IN "
                    "(SELECT id FROM listings WHERE status = 'active' ORDER BY md5(id::text) LIMIT :n)"
                ),
                {"n": count},
            )
            connection.execute(text("ANALYZE listings"))
    engine.dispose()
    print(f"{count:,} listings with a running Top slot")


def pick_urls(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        brand = connection.scalar(text("SELECT id FROM brands WHERE slug = 'toyota'"))
        model = connection.scalar(
            text("SELECT id FROM car_models WHERE brand_id = :b AND slug = 'camry'"), {"b": brand}
        )
        region = connection.scalar(
            text("SELECT region_id FROM listings GROUP BY region_id ORDER BY count(*) DESC LIMIT 1")
        )
        hyundai = connection.scalar(text("SELECT id FROM brands WHERE slug = 'hyundai'"))
    engine.dispose()
    return [
        ("newest, no filter", "/listings/"),
        ("make+model, newest", f"/listings/?brand={brand}&model={model}"),
        ("make, price up, year from", f"/listings/?brand={hyundai}&year_from=2015&sort=price_asc"),
        ("region+body+price to, newest", f"/listings/?region={region}&body=suv&price_to=15000000"),
        ("free text, price down", "/listings/?q=camry&sort=price_desc"),
        ("make+model, good prices only", f"/listings/?brand={brand}&model={model}&deal=good"),
    ]


TRIVIAL = [("trivial: /healthz (JSON)", "/healthz"), ("trivial: /auth/login (template)", "/auth/login")]


def profile_search(url: str, paths: list[str]) -> None:
    """300 search requests through the Flask test client under cProfile: where time goes."""
    os.environ.update(env_for(url))
    sys.path.insert(0, str(ROOT))
    from app import create_app

    app = create_app("production")
    client = app.test_client()
    for path in paths:
        client.get(path)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(60):
        for path in paths:
            client.get(path)
    profiler.disable()
    elapsed = time.perf_counter() - started
    print(
        f"\nin-process: {len(paths) * 60} requests in {elapsed:.2f} s = {elapsed / len(paths) / 60 * 1000:.1f} ms each"
    )
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    shown = r"(sqlalchemy/engine/base|jinja2/environment|listings/(search|filters)|flask/app|psycopg2|babel)"
    stats.print_stats(shown, 25)


def cpu_per_request(url: str, paths: list[tuple[str, str]], rounds: int = 100) -> None:
    """Python CPU time per request in-process (time.process_time, no profiler): what one
    request costs the web process whatever else the machine is doing. PostgreSQL's share
    runs in its own process and is not included; wall time is shown beside it."""
    os.environ.update(env_for(url))
    sys.path.insert(0, str(ROOT))
    from app import create_app

    app = create_app("production")
    client = app.test_client()
    print(f"\n{'URL':<34} {'CPU ms':>7} {'wall ms':>8}  (in-process, {rounds} requests each)")
    for label, path in paths:
        for _ in range(10):
            client.get(path)
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(rounds):
            client.get(path)
        cpu, wall = (time.process_time() - cpu) / rounds * 1000, (time.perf_counter() - wall) / rounds * 1000
        print(f"{label:<34} {cpu:7.1f} {wall:8.1f}")


def top_slot_cost(url: str, paths: list[tuple[str, str]], rounds: int = 40, batch: int = 5, warm: int = 1100) -> None:
    """What the Top slot adds to a search page: CPU ms per page with the slot shown
    (TOP_SLOTS, 3) and turned off (0), in alternating batches of `batch` requests in one
    process, so a change in the machine's speed during the run falls on both alike. The slot
    turns one Top listing per page: the `warm` requests first take it once round 1,000 Top
    listings, as on a server that has been up for a while (before that, each page shows a
    card this process has never rendered)."""
    os.environ.update(env_for(url))
    sys.path.insert(0, str(ROOT))
    from app import create_app

    app = create_app("production")
    slots = app.config["TOP_SLOTS"]
    client = app.test_client()
    print(f"\n{'URL':<34} {'Top cards':>9} {'with ms':>8} {'without':>8} {'added':>6}  ({rounds * batch} each)")
    for label, path in paths:
        slot = re.search(r'<section class="top-slot.*?</section>', client.get(path).get_data(as_text=True), re.S)
        shown = slot.group(0).count('data-listing-id="') if slot else 0
        for _ in range(warm):
            client.get(path)
        spent = {slots: 0.0, 0: 0.0}
        for round_number in range(rounds):
            for setting in (slots, 0) if round_number % 2 else (0, slots):
                app.config["TOP_SLOTS"] = setting
                gc.collect()  # the cycle collector's pauses fall between batches, not in one
                gc.disable()
                started = time.process_time()
                for _ in range(batch):
                    client.get(path)
                spent[setting] += time.process_time() - started
                gc.enable()
        app.config["TOP_SLOTS"] = slots
        with_top, without = (spent[s] / rounds / batch * 1000 for s in (slots, 0))
        print(f"{label:<34} {shown:>9} {with_top:8.2f} {without:8.2f} {with_top / without - 1:+6.1%}")


def main() -> None:
    args = parse_args()
    if args.no_page_cache:
        PAGE_CACHE["CACHE_SEARCH_SECONDS"] = "0"
    if not (args.profile or args.cpu or args.top_cost):
        require_wrk()  # the in-process modes need no load generator
    ensure_database(args.url, args.rows, args.fresh)
    ensure_deal_ratings(args.url)
    ensure_top(args.url, args.top)
    urls = pick_urls(args.url)
    if args.profile:
        profile_search(args.url, [path for _, path in urls])
        return
    if args.cpu:
        cpu_per_request(args.url, [*urls, *TRIVIAL])
        return
    if args.top_cost:
        top_slot_cost(args.url, urls)
        return
    results = []
    servers, base = start_gunicorn(env_for(args.url), args.processes)
    try:
        for label, path in [*urls, *TRIVIAL]:
            results.append((label, path, run_wrk(base, path, args.duration, args.connections)))
    finally:
        stop(servers)
    trivial = {label: r["rps"] for label, _, r in results if label.startswith("trivial")}
    healthz, login = trivial[TRIVIAL[0][0]], trivial[TRIVIAL[1][0]]
    print(
        f"\n{args.rows:,} listings · gunicorn -k gevent -w 1 × {args.processes} · wrk -t1 -c{args.connections} "
        f"-d{args.duration}s · {os.cpu_count()} CPUs · "
        f"visitors' page cache {PAGE_CACHE['CACHE_SEARCH_SECONDS']} s\n"
    )
    print(f"{'URL':<34} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'req/s':>7} {'/healthz':>9} {'/login':>7} err")
    for label, _path, r in results:
        print(
            f"{label:<34} {r['p50']:7.1f} {r['p95']:7.1f} {r['p99']:7.1f} {r['rps']:7.0f} "
            f"{r['rps'] / healthz:9.0%} {r['rps'] / login:7.0%} {r['errors']}"
        )
    print("\nURLs:")
    for label, path, _r in results:
        print(f"  {label}: {path}")


if __name__ == "__main__":
    main()
