"""Picture uploads against the event loop: three 40-megapixel photos uploaded at once while
/healthz is polled, on one gunicorn gevent process (production configuration).

    .venv/bin/python scripts/bench_upload.py                 # this checkout
    .venv/bin/python scripts/bench_upload.py --app-dir DIR   # another checkout (before/after)

Prints each upload's time and /healthz latency (p50, p95, max) while the uploads run: a
picture processed on the event loop makes every other request of the process wait.
The server runs on a throw-away SQLite database; the uploads go to /settings/avatar.
"""

from __future__ import annotations

import argparse
import io
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchkit import free_port, server_env, stop  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-upload-password-1"  # noqa: S105 (a throw-away account)
CREATE_USER = f"""
from app import create_app
from app.auth.services import create_user
from app.extensions import db
with create_app().app_context():
    create_user("bencher", "bencher@example.com", "{PASSWORD}")
    db.session.commit()
"""


def photo_40mp() -> bytes:
    """A 7,300 × 5,475 JPEG (40 megapixels, just under MAX_IMAGE_PIXELS), as heavy as a phone photo."""
    small = Image.effect_noise((730, 548), 60).convert("RGB")
    image = small.resize((7300, 5475), Image.Resampling.BICUBIC)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def start_server(app_dir: Path, workdir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = server_env(
        f"sqlite:///{workdir / 'bench.db'}",
        PHOTO_UPLOAD_RATE_LIMIT="1000 per hour",
        SITE_URL=f"http://127.0.0.1:{port}",  # the only Host production answers
        DOMAIN="127.0.0.1",
    )
    python = sys.executable
    subprocess.run([python, "-m", "flask", "db", "upgrade"], cwd=app_dir, env=env, check=True, capture_output=True)
    subprocess.run([python, "-c", CREATE_USER], cwd=app_dir, env=env, check=True)
    command = [python, "-m", "gunicorn", "-k", "gevent", "-w", "1", "--no-control-socket",
               "-b", f"127.0.0.1:{port}", "--log-level", "warning", "run:app"]  # fmt: skip
    log = open(workdir / "server.log", "w")  # noqa: SIM115 (lives as long as the server)
    server = subprocess.Popen(command, cwd=app_dir, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if requests.get(base + "/healthz", timeout=5).ok:
                return server, base
        except (requests.ConnectionError, requests.Timeout):  # still booting
            time.sleep(0.1)
    stop([server])
    sys.exit("the server did not start")


def signed_in(base: str) -> tuple[requests.Session, str]:
    http = requests.Session()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', http.get(base + "/auth/login").text).group(1)
    http.post(base + "/auth/login", data={"login": "bencher", "password": PASSWORD, "csrf_token": token})
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', http.get(base + "/settings").text).group(1)
    return http, token


def measure(base: str, photo: bytes, uploads: int) -> None:
    http, token = signed_in(base)
    health: list[float] = []
    durations: list[float] = []
    done = threading.Event()

    def poll() -> None:
        with requests.Session() as probe:
            while not done.is_set():
                start = time.perf_counter()
                probe.get(base + "/healthz", timeout=60)
                health.append(time.perf_counter() - start)
                time.sleep(0.02)

    def upload() -> None:
        start = time.perf_counter()
        response = http.post(
            base + "/settings/avatar",
            data={"csrf_token": token},
            files={"avatar": ("big.jpg", photo, "image/jpeg")},
            timeout=120,
        )
        durations.append(time.perf_counter() - start)
        assert response.status_code in (200, 302), (response.status_code, response.text[:300])

    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(0.3)
    senders = [threading.Thread(target=upload) for _ in range(uploads)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    done.set()
    poller.join()
    ms = sorted(value * 1000 for value in health)
    print(f"uploads: {uploads} × {len(photo) / 1e6:.1f} MB, each {', '.join(f'{d:.2f}' for d in durations)} s")
    print(
        f"/healthz during the uploads: {len(ms)} polls, p50 {statistics.median(ms):.0f} ms, "
        f"p95 {ms[int(len(ms) * 0.95) - 1]:.0f} ms, max {ms[-1]:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app-dir", type=Path, default=ROOT, help="the checkout to serve")
    parser.add_argument("--uploads", type=int, default=3)
    args = parser.parse_args()
    photo = photo_40mp()
    with tempfile.TemporaryDirectory(prefix="garage-bench-upload-") as workdir:
        server, base = start_server(args.app_dir.resolve(), Path(workdir))
        try:
            measure(base, photo, args.uploads)
        finally:
            stop([server])


if __name__ == "__main__":
    main()
