"""Chat benchmark: N signed-in Socket.IO clients in pairs, sending at a fixed rate, through
gunicorn -k gevent (one process, or several joined by Redis).

    .venv/bin/python scripts/bench_chat.py                      # N = 200, 500, 1000; 0.5 msg/s each
    .venv/bin/python scripts/bench_chat.py --clients 1000 --rate 0.75 --duration 30
    .venv/bin/python scripts/bench_chat.py --workers 2          # two processes + Redis queue
    .venv/bin/python scripts/bench_chat.py --clients 1000 --profile 15   # py-spy on the worker
    .venv/bin/python scripts/bench_chat.py --clients 1000 --gc-log       # the worker's GC pauses

What it does:
1. Rebuilds the schema of a PostgreSQL benchmark database (BENCH_DATABASE_URL, default
   postgresql://postgres@127.0.0.1:5432/garage_bench; it is wiped), adds the users and a
   mostly-read history per pair (unread counts must be measured on one).
2. Starts gunicorn (run:app, -k gevent -w 1, --worker-connections 10000) per process.
3. Per N: signs the clients in with session cookies signed by the server's SECRET_KEY
   (what the login form would set; hashing 1,000 passwords would only measure scrypt),
   connects them over WebSocket, joins each pair's conversation, then every client sends
   at `--rate` messages/s for `--duration` s. Each body carries its send time; the peer
   measures delivery latency on `new_message`.
4. Prints connect time, delivery latency p50/p95/p99, delivered messages/s (over sending
   plus draining), error acks, lost (acked but never delivered to the peer once nothing
   more arrives for 10 s; a client whose socket dropped or fell behind reconnects and
   syncs first, as chat.js does; "missed live" counts what only sync brought), duplicated
   deliveries, the server's CPU per message (from /proc: independent of other load on the
   machine) and how long the backlog took to drain.

The clients run in one asyncio process on the same machine as the server, PostgreSQL and
Redis: on 2 cores they compete for CPU, so figures are a floor, not a ceiling.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(tempfile.gettempdir())
sys.path.insert(0, str(ROOT))

DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/garage_bench"
SECRET = "bench-secret-key-not-for-production"  # noqa: S105 (the benchmark server only)
HISTORY_PER_PAIR = 40  # read messages per pair before the run
RUN = f"{os.getpid()}-{time.time_ns()}"


# --- database -----------------------------------------------------------------------------


def prepare_database(url: str, users: int) -> list[tuple[int, str, str]]:
    """Fresh schema, `users` accounts, a read history per pair; return (id, username, cookie)."""
    os.environ.update(DATABASE_URL=url, SECRET_KEY=SECRET, FLASK_CONFIG="development", LOG_LEVEL="WARNING")
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import create_engine, insert, text
    from sqlalchemy.engine import make_url
    from werkzeug.security import generate_password_hash

    from app import create_app
    from app.core.time import utcnow
    from app.extensions import db
    from app.models import Conversation, Message, User

    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database})
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()

    app = create_app("development")
    with app.app_context():
        downgrade(revision="base")
        upgrade()
        password = generate_password_hash("bench-password-1")
        rows = [
            {
                "username": f"bench{n:05d}",
                "username_key": f"bench{n:05d}",
                "email": f"bench{n:05d}@example.com",
                "password_hash": password,
            }
            for n in range(users)
        ]
        db.session.execute(insert(User), rows)
        people = [
            (row.id, row.username) for row in db.session.execute(text("SELECT id, username FROM users ORDER BY id"))
        ]
        now = utcnow()
        conversations = [
            {
                "user_low_id": people[i][0],
                "user_high_id": people[i + 1][0],
                "last_message_at": now,
                "last_seq": HISTORY_PER_PAIR,
            }
            for i in range(0, users - 1, 2)
        ]
        ids = db.session.scalars(insert(Conversation).returning(Conversation.id), conversations).all()
        history = []
        for conversation_id, conversation in zip(ids, conversations, strict=True):
            for n in range(HISTORY_PER_PAIR):
                sender = conversation["user_low_id"] if n % 2 else conversation["user_high_id"]
                history.append(
                    {
                        "conversation_id": conversation_id,
                        "seq": n + 1,
                        "sender_id": sender,
                        "body": f"history {n}",
                        "client_id": f"history-{conversation_id}-{n}",
                        "created_at": now,
                        "read_at": now,
                    }
                )
        for start in range(0, len(history), 5000):
            db.session.execute(insert(Message), history[start : start + 5000])
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        cookies = session_cookies(app, people)
        db.engine.dispose()
    return [(uid, name, cookies[uid]) for uid, name in people]


def session_cookies(app, people) -> dict[int, str]:
    """The session cookie Flask-Login sets at sign-in, signed with the server's key."""
    serializer = app.session_interface.get_signing_serializer(app)
    name = app.config["SESSION_COOKIE_NAME"]
    return {uid: f"{name}={serializer.dumps({'_user_id': f'{uid}:1', '_fresh': True})}" for uid, _ in people}


# --- servers ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, database_url: str, queue: str | None, monitor: bool = False, gc_log: bool = False):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY=SECRET, FLASK_CONFIG="development")
        env["LOG_LEVEL"] = "WARNING"
        if queue:
            env["SOCKETIO_MESSAGE_QUEUE"] = queue
        if monitor:  # gevent reports any greenlet holding the loop 20 ms (costly: it skews latency)
            env.update(GEVENT_MONITOR_THREAD_ENABLE="1", GEVENT_MAX_BLOCKING_TIME="0.02")
        if monitor or gc_log:  # the worker logs each garbage collection of 5 ms or more
            env["GARAGE_GC_LOG_MS"] = "5"
        command = [
            sys.executable, "-m", "gunicorn", "-k", "gevent", "-w", "1", "--no-control-socket",
            "--worker-connections", "10000", "--backlog", "4096", "-b", f"127.0.0.1:{self.port}",
            "--log-level", "warning", "run:app",
        ]  # fmt: skip
        self.log = open(OUT / f"bench-chat-{self.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_until_up()

    def wait_until_up(self) -> None:
        import requests

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=2).ok:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError(f"server on {self.port} did not start; see {self.log.name}")

    def worker_pid(self) -> int | None:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        children = path.read_text().split() if path.exists() else []
        return int(children[0]) if children else None

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.worker_pid()}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stalls(self) -> str:
        """What --monitor found in the server log: blocked-loop reports and GC pauses."""
        text = Path(self.log.name).read_text(errors="replace")
        blocked = text.count("appears to be blocked")
        pauses = [(float(ms), int(gen)) for ms, gen in re.findall(r"gc pause ([0-9.]+) ms \(generation (\d)", text)]
        full = [ms for ms, generation in pauses if generation == 2]
        worst = f", worst {max(ms for ms, _ in pauses):.0f} ms" if pauses else ""
        return (
            f"loop blocked >20 ms: {blocked} times; worker GC pauses >=5 ms: {len(pauses)}{worst}; "
            f"full collections among them: {len(full)} {[round(ms) for ms in full]} (log {self.log.name})"
        )

    def cpu_seconds(self) -> float:
        """User + system CPU of the worker so far (contention-independent cost)."""
        pid = self.worker_pid()
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


# --- clients ------------------------------------------------------------------------------


class Client:
    def __init__(self, uid: int, username: str, cookie: str, url: str):
        import socketio

        self.uid, self.username, self.cookie, self.url = uid, username, cookie, url
        self.sio = socketio.AsyncClient(reconnection=False)
        self.peer: Client | None = None
        self.acked: set[int] = set()
        self.received: Counter[int] = Counter()
        self.latencies: list[float] = []
        self.timed: list[tuple[float, float]] = []  # (send time, delivery latency ms)
        self.last_seq = 0  # highest seq delivered live
        self.out_of_order = 0  # live deliveries with a lower seq than one already delivered
        self.ack_latencies: list[float] = []
        self.errors: Counter[str] = Counter()
        self.disconnects = 0
        self.finished = False
        self.seqs: set[int] = set()  # seqs held in the pair's conversation (own acks and the peer's)
        self.mark: int | None = None  # every seq up to this one held when the server dropped us
        self.conversation_id: int | None = None
        self.synced = 0
        self.emitted = 0
        self.answered = 0
        self.sio.on("new_message", self.on_message)
        self.sio.on("disconnect", self.on_disconnect)

    async def on_message(self, message: dict) -> None:
        now = time.time()
        self.conversation_id = message["conversation_id"]
        self.received[message["id"]] += 1
        self.seqs.add(message["seq"])
        if message["seq"] < self.last_seq:
            self.out_of_order += 1
        self.last_seq = max(self.last_seq, message["seq"])
        try:
            sent = float(message["body"].rsplit(" ", 1)[1])
        except (IndexError, ValueError):
            return
        if self.received[message["id"]] == 1:
            self.latencies.append((now - sent) * 1000)
            self.timed.append((sent, (now - sent) * 1000))

    async def on_disconnect(self, reason=None) -> None:
        if not self.finished:
            self.disconnects += 1
            if self.mark is None:  # taken at the drop, as chat.js does
                self.mark = self.held_upto()

    def held_upto(self) -> int:
        upto = HISTORY_PER_PAIR
        while upto + 1 in self.seqs:
            upto += 1
        return upto

    async def recover(self) -> None:
        """What a page does after a drop: a new socket, join, sync from the mark."""
        import socketio

        self.sio = socketio.AsyncClient(reconnection=False)
        await self.sio.connect(self.url, headers={"Cookie": self.cookie}, transports=["websocket"], wait_timeout=60)
        joined = await self.sio.call("join_chat", {"with": self.peer.username}, timeout=60)
        after = self.mark or 0
        while joined.get("conversation_id"):
            ack = await self.sio.call(
                "sync", {"conversation_id": joined["conversation_id"], "after_seq": after}, timeout=60
            )
            for message in ack.get("messages", []):
                if message["sender"] == self.peer.username and message["id"] not in self.received:
                    self.received[message["id"]] += 1
                    self.synced += 1
            if not ack.get("more") or not ack.get("messages"):
                break
            after = ack["messages"][-1]["seq"]
        await self.sio.disconnect()

    async def connect(self) -> float:
        start = time.perf_counter()
        await self.sio.connect(self.url, headers={"Cookie": self.cookie}, transports=["websocket"], wait_timeout=60)
        ack = await self.sio.call("join_chat", {"with": self.peer.username}, timeout=60)
        if not ack.get("ok"):
            raise RuntimeError(f"join refused: {ack}")
        return time.perf_counter() - start

    async def run(self, rate: float, start_at: float, end_at: float) -> None:
        interval = 1 / rate
        next_at = start_at + random.random() * interval
        seq = 0
        while next_at < end_at:
            await asyncio.sleep(max(0.0, next_at - time.time()))
            seq += 1
            sent = time.time()
            payload = {
                "to": self.peer.username,
                "body": f"bench {seq} {sent:.6f}",
                # unique per run: the server (rightly) treats a known client_id as a resend
                "client_id": f"{self.username}-{RUN}-{seq}",
            }
            self.emitted += 1
            await self.sio.emit("send_message", payload, callback=self.acker(sent))
            next_at += interval

    def acker(self, sent: float):
        def ack(answer):
            self.answered += 1
            self.ack_latencies.append((time.time() - sent) * 1000)
            if answer and answer.get("ok"):
                self.acked.add(answer["message"]["id"])
                self.seqs.add(answer["message"]["seq"])
            else:
                self.errors[(answer or {}).get("error", "no answer")] += 1

        return ack


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class ClientPauses:
    """Garbage collections of the benchmark process that took 5 ms or more."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self.started = 0.0
        gc.callbacks.append(self.callback)

    def callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self.started = time.perf_counter()
        elif (paused := (time.perf_counter() - self.started) * 1000) >= 5:
            self.pauses.append(paused)

    def stop(self) -> None:
        gc.callbacks.remove(self.callback)

    def summary(self) -> str:
        return f"{len(self.pauses)}, worst {max(self.pauses):.0f} ms" if self.pauses else "none"


async def run_level(people, servers, clients_n: int, rate: float, duration: float, profile: float | None) -> dict:
    import aiohttp  # noqa: F401  (python-socketio's asyncio client needs it)

    chosen = people[:clients_n]
    # with several processes the two people of a pair sit on different ones (through Redis)
    clients = [Client(uid, name, cookie, servers[i % len(servers)].url) for i, (uid, name, cookie) in enumerate(chosen)]
    for i in range(0, len(clients) - 1, 2):
        clients[i].peer, clients[i + 1].peer = clients[i + 1], clients[i]
    gate = asyncio.Semaphore(50)

    async def connect(client: Client) -> float:
        async with gate:
            return await client.connect()

    started = time.perf_counter()
    outcomes = await asyncio.gather(*(connect(c) for c in clients), return_exceptions=True)
    connect_total = time.perf_counter() - started
    connect_times = [value for value in outcomes if isinstance(value, float)]
    failed = {id(c) for c, value in zip(clients, outcomes, strict=True) if not isinstance(value, float)}
    # a pair with a failed connection does not take part (its messages could not arrive)
    for client in list(clients):
        if id(client) in failed or id(client.peer) in failed:
            await client.sio.disconnect()
    clients = [c for c in clients if id(c) not in failed and id(c.peer) not in failed]
    await asyncio.sleep(2)  # let the handshakes settle
    # The clients are the measuring instrument: keep their own collector from adding pauses
    # to the latencies they record (their sockets live until the end), and count what is left.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    client_pauses = ClientPauses()

    profiler = None
    if profile:
        pid = servers[0].worker_pid()
        out = OUT / f"bench-chat-profile-{clients_n}.txt"
        profiler = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "py-spy"),
                "record",
                "-p",
                str(pid),
                "-d",
                str(int(profile)),
                "-f",
                "raw",
                "-o",
                str(out),
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    cpu_before = sum(server.cpu_seconds() for server in servers)
    client_cpu_before = sum(os.times()[:2])
    start_at = time.time() + 1
    end_at = start_at + duration
    await asyncio.gather(*(c.run(rate, start_at, end_at) for c in clients))
    sending_ended = time.time()
    # drain the backlog: until every send is answered and every acked message arrived, or
    # nothing new came for 10 s (then what is missing is lost, not late); at most 120 s
    last_total, last_change = -1, time.time()
    while time.time() - sending_ended < 120 and time.time() - last_change < 10:
        if all(c.answered == c.emitted and c.peer.acked <= set(c.received) for c in clients):
            break
        total = sum(len(c.received) + c.answered for c in clients)
        if total != last_total:
            last_total, last_change = total, time.time()
        await asyncio.sleep(0.2)
    elapsed = time.time() - start_at
    drain = time.time() - sending_ended
    delivered_live = sum(len(c.received) for c in clients)
    missed_live = sum(len(c.peer.acked - set(c.received)) for c in clients)
    dropped = [c for c in clients if c.disconnects]
    behind = dropped  # what a page does after a drop: reconnect, sync from its mark
    for c in clients:
        c.finished = True
    await asyncio.gather(*(c.recover() for c in behind), return_exceptions=True)
    cpu = sum(server.cpu_seconds() for server in servers) - cpu_before
    client_pauses.stop()
    client_cpu = sum(os.times()[:2]) - client_cpu_before
    if profiler:
        profiler.wait()
    await asyncio.gather(*(c.sio.disconnect() for c in clients), return_exceptions=True)

    latencies = [value for c in clients for value in c.latencies]
    per_second: dict[int, list[float]] = {}
    for c in clients:
        for sent_at, latency in c.timed:
            per_second.setdefault(int(sent_at - start_at), []).append(latency)
    acks = [value for c in clients for value in c.ack_latencies]
    delivered = delivered_live
    lost = sum(len(c.peer.acked - set(c.received)) for c in clients)
    duplicated = sum(count - 1 for c in clients for count in c.received.values() if count > 1)
    errors = Counter()
    for c in clients:
        errors.update(c.errors)
    return {
        "clients": clients_n,
        "rate": rate * clients_n,
        "connect_total_s": connect_total,
        "connect_p50_ms": statistics.median(connect_times) * 1000 if connect_times else float("nan"),
        "connect_p99_ms": percentile(connect_times, 99) * 1000,
        "sent": sum(len(c.acked) for c in clients),
        "delivered": delivered,
        "msgs_per_s": delivered / elapsed if delivered else 0.0,
        "drain_s": drain,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "max": max(latencies) if latencies else float("nan"),
        "ack_p99": percentile(acks, 99),
        "cpu_ms_per_msg": 1000 * cpu / max(1, sum(len(c.acked) for c in clients)),
        "server_cpu_s": cpu,
        "client_cpu_s": client_cpu,
        "elapsed_s": elapsed,
        "lost": lost,
        "duplicated": duplicated,
        "out_of_order": sum(c.out_of_order for c in clients),
        "p99_per_second": [round(percentile(per_second[n], 99)) for n in sorted(per_second)],
        "errors": dict(errors),
        "client_gc": client_pauses.summary(),
        "disconnects": len(dropped),
        "synced": sum(c.synced for c in clients),
        "missed_live": missed_live,
        "unanswered": sum(c.emitted - c.answered for c in clients),
        "resynced_clients": len(behind),
        "connect_failures": len(failed),
        "profile": str(OUT / f"bench-chat-profile-{clients_n}.txt") if profile else None,
    }


async def idle_memory(people, server: Server) -> str:
    """The worker's resident memory with no socket, then with len(people) idle ones."""
    import aiohttp  # noqa: F401  (python-socketio's asyncio client needs it)

    before = server.rss_mb()
    clients = [Client(uid, name, cookie, server.url) for uid, name, cookie in people]
    gate = asyncio.Semaphore(50)

    async def connect(client: Client) -> None:
        async with gate:
            await client.sio.connect(
                client.url, headers={"Cookie": client.cookie}, transports=["websocket"], wait_timeout=60
            )

    await asyncio.gather(*(connect(c) for c in clients))
    await asyncio.sleep(3)
    after = server.rss_mb()
    await asyncio.gather(*(c.sio.disconnect() for c in clients), return_exceptions=True)
    per_socket = (after - before) * 1024 / max(1, len(clients))
    return f"worker RSS: {before:.0f} MB idle, {after:.0f} MB with {len(clients)} sockets ({per_socket:.0f} KB each)"


def summarize_profile(path: str, top: int = 25) -> str:
    """Inclusive share of samples per function (py-spy raw/collapsed stacks)."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in Path(path).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        seen = set()
        for frame in frames:
            name = frame.split(" (")[0] + " (" + frame.split(" (")[-1].split(":")[0].split("/")[-1] + ")"
            if name not in seen:
                inclusive[name] += n
                seen.add(name)
        own[frames[-1].split(" (")[0] + " (" + frames[-1].split(" (")[-1].split(":")[0].split("/")[-1] + ")"] += n
    lines = [f"{total} samples; inclusive:"]
    lines += [f"  {100 * n / total:5.1f}%  {name}" for name, n in inclusive.most_common(top)]
    lines.append("self:")
    lines += [f"  {100 * n / total:5.1f}%  {name}" for name, n in own.most_common(12)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[200, 500, 1000])
    parser.add_argument("--rate", type=float, default=0.5, help="messages per second per client")
    parser.add_argument("--duration", type=float, default=20, help="seconds of sending per level")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn processes (2+: Redis queue)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--profile", type=float, default=None, help="py-spy the (first) worker for S seconds")
    parser.add_argument("--monitor", action="store_true", help="gevent's blocking monitor (20 ms) and GC pause log")
    parser.add_argument("--gc-log", action="store_true", help="only the worker's GC pause log (cheap)")
    parser.add_argument("--idle-memory", action="store_true", help="only: worker RSS with 0 and N idle sockets")
    args = parser.parse_args()

    people = prepare_database(args.database_url, max(args.clients))
    queue = args.redis if args.workers > 1 else None
    servers = [Server(args.database_url, queue, args.monitor, args.gc_log) for _ in range(args.workers)]
    if args.idle_memory:
        try:
            for n in args.clients:
                print(asyncio.run(idle_memory(people[:n], servers[0])), flush=True)
        finally:
            servers[0].stop()
        return
    print(f"machine: {os.cpu_count()} cores; {args.workers} gunicorn gevent process(es); queue: {queue or 'none'}")
    print(f"history: {HISTORY_PER_PAIR} read messages per pair; rate {args.rate}/s per client; {args.duration:.0f} s")
    header = (
        f"{'N':>5} {'msg/s target':>12} {'connect s':>9} {'conn p99':>8} {'delivered/s':>11} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'lost':>5} {'dup':>4} "
        f"{'order':>5} {'errors':>6} {'drops':>5} {'cpu ms/msg':>10} {'drain s':>7}"
    )
    print(header)
    try:
        for n in args.clients:
            global RUN
            RUN = f"{os.getpid()}-{time.time_ns()}"
            result = asyncio.run(run_level(people, servers, n, args.rate, args.duration, args.profile))
            print(
                f"{result['clients']:>5} {result['rate']:>12.0f} {result['connect_total_s']:>9.1f} "
                f"{result['connect_p99_ms']:>8.0f} {result['msgs_per_s']:>11.1f} {result['p50']:>7.1f} "
                f"{result['p95']:>7.1f} {result['p99']:>7.1f} {result['max']:>7.0f} {result['lost']:>5} "
                f"{result['duplicated']:>4} {result['out_of_order']:>5} {sum(result['errors'].values()):>6} "
                f"{result['disconnects']:>5} "
                f"{result['cpu_ms_per_msg']:>10.2f} {result['drain_s']:>7.1f}",
                flush=True,
            )
            print(
                f"   sent {result['sent']}, delivered live {result['delivered']}, in {result['elapsed_s']:.0f} s; "
                f"unanswered sends {result['unanswered']}; CPU: server {result['server_cpu_s']:.1f} s, "
                f"benchmark clients {result['client_cpu_s']:.1f} s"
            )
            print("   p99 ms per second of sending:", " ".join(str(v) for v in result["p99_per_second"]))
            print("   benchmark clients' own GC pauses >= 5 ms:", result["client_gc"])
            if result["missed_live"]:
                print(
                    f"   {result['missed_live']} messages not delivered live; {result['resynced_clients']} clients "
                    f"reconnected and synced, recovering {result['synced']}"
                )
            if result["disconnects"]:
                print(
                    f"   {result['disconnects']} sockets dropped by the server; "
                    f"{result['synced']} messages recovered by sync"
                )
            if result["connect_failures"]:
                print(f"   {result['connect_failures']} connections failed; their pairs sat out")
            if result["errors"]:
                print("   errors:", result["errors"])
            if args.monitor or args.gc_log:
                print("  ", servers[0].stalls())
            if result["profile"] and Path(result["profile"]).exists():
                print(summarize_profile(result["profile"]))
            time.sleep(3)
    finally:
        for server in servers:
            server.stop()


if __name__ == "__main__":
    main()
