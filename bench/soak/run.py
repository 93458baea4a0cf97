"""The soak: a production-shaped deployment under a steady mix of traffic for a while.

Usage: python -m bench.soak.run [--duration 600] [--webhooks 1.0] [--reads 1.0] [--views 0.5]
                                [--out bench/soak/results.json]

Needs DATABASE_URL (its server is used for a database of the soak's own, `<name>_soak`, dropped
and created afresh) and CELERY_BROKER_URL (the soak's queues are named for this run, so the
vhost may be shared). Runs gunicorn (2 sync workers), one Celery worker (prefork, 2 children)
and one beat, as in docs/deployment.md, without the reverse proxy.

Traffic is open-loop (sent on a fixed schedule, whatever the answers' speed, so a slow server
shows up as latency, not as less load):
- webhooks: signed events, each with its own small real media file from a loopback server
  (PNG images, WAV audio, MP4 video made by ffmpeg when it is there), and one in ten a re-upload
  of media sent before;
- partner reads: the case list and a case's detail, with a partner token;
- dashboard views: the queue and the overview, as a logged-in moderator.

Measured: throughput, p50/p99 latency and errors per kind; the worker's resident memory (main
process and children, summed) every few seconds; and after the traffic stops, how many accepted
submissions were lost (no row) or never processed within the drain deadline. The load average
is recorded at the start, the middle and the end: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests

from integrations.platforms.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature_compute
from tests.ingestion.helpers import make_png, make_wav, sample_event
from tests.kit.media import MediaServer
from tests.kit.stack import Stack, port_free

ROOT = Path(__file__).resolve().parent.parent.parent
# Production mode, as deployed (no DEBUG query log growing in every process); the key is the
# benchmark's own unless SECRET_KEY is set.
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"),
}

SETUP = """
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group, User
from integrations.partners.models import Scope
from integrations.partners.services import partner_organisation_save, partner_token_create
from integrations.platforms.services import platform_create

platform, secret = platform_create(slug="soakshare", allow_private_fetch=True)
org = partner_organisation_save(name="Soak Fact Check", countries=["SK", "CZ"])
_, token = partner_token_create(name="Soak Fact Check", scopes=list(Scope.values), partner=org)
user = User.objects.create_user(username="soak-moderator", password="unused-" + secret[:12])
user.groups.add(Group.objects.get_or_create(name="moderators")[0])
session = import_module(settings.SESSION_ENGINE).SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(json.dumps({"slug": platform.slug, "secret": secret, "token": token, "session": session.session_key}))
"""


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (/proc), in KiB."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        ppid = int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))
        children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        todo.extend(children.get(current, []))
    return total


def database_for(base_url: str, name: str) -> str:
    """Drop and create database `name` on DATABASE_URL's server; return its URL."""
    parts = urlsplit(base_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


class Media:
    """Small real media files, each request its own, served from loopback."""

    def __init__(self, server: MediaServer, workdir: Path) -> None:
        self.server = server
        self.sent: list[tuple[str, str]] = []
        self.videos = self._videos(workdir)
        self.lock = threading.Lock()

    @staticmethod
    def _videos(workdir: Path) -> list[bytes]:
        if shutil.which("ffmpeg") is None:
            return []
        out = []
        for n in range(8):
            path = workdir / f"v{n}.mp4"
            subprocess.run(  # noqa: S603
                ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                 f"testsrc=s=160x120:r=10,hue=h={n * 40}", "-t", "2", "-c:v", "libx264", "-preset",
                 "ultrafast", "-pix_fmt", "yuv420p", str(path)],
                check=True, timeout=120,
            )  # fmt: skip
            out.append(path.read_bytes())
        return out

    def next(self, n: int, rng: random.Random) -> tuple[str, str]:
        """Return (url, media_type) for the n-th webhook."""
        with self.lock:
            if self.sent and rng.random() < 0.1:  # a re-upload of something sent before
                return rng.choice(self.sent)
        roll = rng.random()
        if roll < 0.6:
            body, kind, ctype = (
                make_png(size=(96, 64), color=(n % 251, (n * 7) % 253, (n * 13) % 255)),
                "image",
                "image/png",
            )
            path = f"/soak/{n}.png"
        elif roll < 0.9 or not self.videos:
            body, kind, ctype = make_wav(seconds=1.0, frequency=150 + (n % 2000)), "audio", "audio/wav"
            path = f"/soak/{n}.wav"
        else:
            body, kind, ctype = self.videos[n % len(self.videos)], "video", "video/mp4"
            path = f"/soak/{n}.mp4"
        url = self.server.add(path, body, content_type=ctype)
        with self.lock:
            self.sent.append((url, kind))
        return url, kind


class Recorder:
    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float, int | str]] = []  # kind, sent at, seconds, status
        self.lock = threading.Lock()
        self.accepted: list[int] = []

    def add(self, kind: str, sent_at: float, seconds: float, status: int | str) -> None:
        with self.lock:
            self.rows.append((kind, sent_at, seconds, status))


def summarise(rows, kind: str, duration: float) -> dict:
    mine = [r for r in rows if r[0] == kind]
    latencies = sorted(r[2] for r in mine)
    errors = [r[3] for r in mine if not (isinstance(r[3], int) and r[3] < 400)]
    if not latencies:
        return {"requests": 0}
    return {
        "requests": len(mine),
        "per_second": round(len(mine) / duration, 2),
        "p50_ms": round(1000 * statistics.median(latencies), 1),
        "p99_ms": round(1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))], 1),
        "max_ms": round(1000 * latencies[-1], 1),
        "errors": len(errors),
        "error_statuses": sorted({str(e) for e in errors}),
    }


def main() -> None:  # noqa: PLR0915 - one script, read top to bottom
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=float, default=600, help="seconds of traffic")
    parser.add_argument("--webhooks", type=float, default=1.0, help="webhooks a second")
    parser.add_argument("--reads", type=float, default=1.0, help="partner API reads a second")
    parser.add_argument("--views", type=float, default=0.5, help="dashboard page views a second")
    parser.add_argument("--drain", type=float, default=600, help="seconds to wait for the backlog")
    parser.add_argument("--port", type=int, default=int(os.environ.get("SOAK_PORT", "18480")))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "soak" / "results.json")
    args = parser.parse_args()
    if not port_free(args.port):
        raise SystemExit(f"port {args.port} is taken")

    workdir = Path(tempfile.mkdtemp(prefix="soak-"))
    db_name = urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/") + "_soak"
    db_url = database_for(os.environ["DATABASE_URL"], db_name)
    stack = Stack(database_url=db_url, web_port=args.port, logdir=workdir, media_root=workdir / "media",
                  LOG_FORMAT="text", PARTNER_API_RATE="100000/minute", **PRODUCTION)  # fmt: skip
    print(f"soak: database {db_name}, logs in {workdir}", flush=True)
    started_setup = time.monotonic()
    stack.manage("migrate", "--noinput")
    creds = stack.python(SETUP)
    media_server = MediaServer()
    media = Media(media_server, workdir)
    stack.start_web(workers=2)
    stack.start_worker(concurrency=2)
    stack.start_beat()
    print(
        f"soak: up in {time.monotonic() - started_setup:.0f} s; traffic for {args.duration:.0f} s", flush=True
    )

    rng = random.Random(20261203)
    recorder = Recorder()
    partner = requests.Session()
    partner.headers["Authorization"] = f"Bearer {creds['token']}"
    browser = requests.Session()
    browser.cookies.set("sessionid", creds["session"], domain="127.0.0.1")
    case_ids: list[int] = []

    def timed(kind: str, fn) -> None:
        sent_at = time.monotonic()
        try:
            status = fn()
        except requests.RequestException as exc:
            status = type(exc).__name__
        recorder.add(kind, sent_at, time.monotonic() - sent_at, status)

    def webhook(n: int) -> int:
        url, kind = media.next(n, rng)
        body = json.dumps(
            sample_event(f"soak-{n}", content_id=f"soak-post-{n}", media_url=url, media_type=kind)
        ).encode()
        ts = str(int(time.time()))
        answer = requests.post(
            f"{stack.url}/webhooks/{creds['slug']}/",
            data=body,
            headers={
                "Content-Type": "application/json",
                TIMESTAMP_HEADER: ts,
                SIGNATURE_HEADER: signature_compute(secret=creds["secret"], timestamp=ts, body=body),
            },
            timeout=60,
        )
        if answer.status_code == 202:
            data = answer.json()
            with recorder.lock:
                recorder.accepted.append(data["submission_id"])
                if data.get("case_id"):
                    case_ids.append(data["case_id"])
        return answer.status_code

    def partner_read(n: int) -> int:
        if n % 2 == 0 or not case_ids:
            return partner.get(f"{stack.url}/api/v1/cases/", timeout=60).status_code
        status = partner.get(f"{stack.url}/api/v1/cases/{rng.choice(case_ids)}/", timeout=60).status_code
        return 200 if status == 404 else status  # a case outside the partner's scope: a correct answer

    def dashboard_view(n: int) -> int:
        path = "/" if n % 2 == 0 else "/overview/"
        answer = browser.get(f"{stack.url}{path}", timeout=60, allow_redirects=False)
        return answer.status_code if answer.status_code != 302 else 401  # a lost login is an error

    rss: list[tuple[float, int, int]] = []  # seconds since start, worker tree KiB, web tree KiB
    loads: dict[str, list[float]] = {"start": load_average()}
    pool = ThreadPoolExecutor(32)
    stop = threading.Event()
    t0 = time.monotonic()

    def sample_memory() -> None:
        while not stop.is_set():
            rss.append(
                (
                    round(time.monotonic() - t0, 1),
                    tree_rss_kb(stack.pid("worker")),
                    tree_rss_kb(stack.pid("gunicorn")),
                )
            )
            stop.wait(5)  # a sampling period, not a wait for a condition

    sampler = threading.Thread(target=sample_memory, daemon=True)
    sampler.start()
    schedule = [
        ("webhook", args.webhooks, webhook),
        ("partner", args.reads, partner_read),
        ("dashboard", args.views, dashboard_view),
    ]
    sent = dict.fromkeys([s[0] for s in schedule], 0)
    while (now := time.monotonic() - t0) < args.duration:
        for kind, rate, fn in schedule:
            while sent[kind] < rate * now:
                n = sent[kind]
                pool.submit(timed, kind, lambda fn=fn, n=n: fn(n))
                sent[kind] += 1
        if "middle" not in loads and now > args.duration / 2:
            loads["middle"] = load_average()
        time.sleep(0.02)  # the open-loop clock's tick
    pool.shutdown(wait=True)
    traffic_seconds = time.monotonic() - t0
    loads["end"] = load_average()

    # The backlog drains; then count what was lost or never processed.
    db = psycopg.connect(db_url, autocommit=True)
    accepted = set(recorder.accepted)

    def states() -> dict[str, int]:
        rows = db.execute("SELECT state, count(*) FROM triage_submission GROUP BY state").fetchall()
        return dict(rows)

    drain_started = time.monotonic()
    while time.monotonic() - drain_started < args.drain:
        current = states()
        if not current.get("pending") and not current.get("processing"):
            break
        time.sleep(2)  # polling the backlog with the drain deadline above
    drain_seconds = time.monotonic() - drain_started
    stop.set()
    sampler.join(timeout=10)
    stored = {pk for (pk,) in db.execute("SELECT id FROM triage_submission").fetchall()}
    final_states = states()
    verdicts = (
        db.execute("SELECT count(*) FROM checks_verdict").fetchone()[0]
        if _table(db, "checks_verdict")
        else None
    )
    db.close()
    stack.stop()
    media_server.close()

    rows = recorder.rows
    worker_mb = [round(kb / 1024, 1) for _, kb, _ in rss]
    minute = max(1, int(60 / 5))
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, shared",
        "duration_s": round(traffic_seconds, 1),
        "mode": "DJANGO_DEBUG=0, gunicorn 2 sync workers, 1 Celery worker (prefork, 2), 1 beat",
        "rates_per_s": {
            "webhooks": args.webhooks,
            "partner_reads": args.reads,
            "dashboard_views": args.views,
        },
        "load_average": loads,
        "webhook": summarise(rows, "webhook", traffic_seconds),
        "partner": summarise(rows, "partner", traffic_seconds),
        "dashboard": summarise(rows, "dashboard", traffic_seconds),
        "accepted": len(accepted),
        "lost": len(accepted - stored),
        "states_after_drain": final_states,
        "unprocessed_after_drain": final_states.get("pending", 0) + final_states.get("processing", 0),
        "drain_s": round(drain_seconds, 1),
        "verdicts": verdicts,
        "worker_rss_mb": {
            "first_minute_mean": round(statistics.mean(worker_mb[:minute]), 1) if worker_mb else None,
            "last_minute_mean": round(statistics.mean(worker_mb[-minute:]), 1) if worker_mb else None,
            "max": max(worker_mb) if worker_mb else None,
            # Per minute: the floor (no child parse running) and the median, to tell a leak from
            # the short-lived C2PA and metadata children the tree also counts.
            "per_minute_min_median": [
                [round(min(worker_mb[i : i + minute])), round(statistics.median(worker_mb[i : i + minute]))]
                for i in range(0, len(worker_mb), minute)
            ],
            "samples": rss[:: max(1, len(rss) // 60)],
        },
        "web_rss_mb_max": round(max(kb for _, _, kb in rss) / 1024, 1) if rss else None,
        "logs": str(workdir),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(
        json.dumps(
            {k: v for k, v in result.items() if k != "worker_rss_mb"}
            | {"worker_rss_mb": {k: v for k, v in result["worker_rss_mb"].items() if k != "samples"}},
            indent=2,
        )
    )


def _table(db, name: str) -> bool:
    return db.execute("SELECT to_regclass(%s) IS NOT NULL", [name]).fetchone()[0]


if __name__ == "__main__":
    main()
