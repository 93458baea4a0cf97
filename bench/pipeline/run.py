"""Benchmark: webhook in → fetch → checks → verdict → decision → callback at the platform, per event.

Usage (a database of its own, created and migrated if missing; a real Redis broker):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mor_p7_pipe CELERY_BROKER_URL=redis://127.0.0.1:6379/8 \
    /work/venv/bin/python bench/pipeline/run.py [--events 40] [--warmup 3] [--concurrency 2]

It starts gunicorn (2 sync workers, DEBUG off) and ONE Celery worker (prefork, `--concurrency`
processes), and in this process three loopback servers: the media host serving a distinct
10-second 16 kHz WAV per event (generated with numpy, different bytes each time, so every event
runs every check), a detector vendor speaking the generic JSON adapter's protocol that answers
at once, and the platform's callback receiver. No beat runs: a callback can only arrive through
the tasks enqueued on commit. Events are posted one at a time (each waits for its callback), so
the numbers are the latency of one event through an idle pipeline, not throughput.

Per event it reports the time from sending the webhook request to the callback arriving, and a
breakdown from the rows' timestamps (same machine clock): webhook answer, fetch done, checks
fused, decision written, first delivery attempt started, callback received.
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import wave
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
SECONDS = 10
RATE = 16_000


def speech_like_wav(seed: int) -> bytes:
    """Ten seconds of a voiced, syllable-paced signal (pitch glides, harmonics, noise), distinct per seed."""
    rng = np.random.default_rng(seed)
    t = np.arange(SECONDS * RATE) / RATE
    pitch = 110 + 40 * np.sin(2 * np.pi * rng.uniform(0.2, 0.6) * t) + rng.uniform(-20, 20)
    phase = 2 * np.pi * np.cumsum(pitch) / RATE
    voiced = sum(np.sin(k * phase) / k for k in range(1, 12))
    syllables = np.clip(np.sin(2 * np.pi * rng.uniform(3, 5) * t + rng.uniform(0, 6)), 0, None)
    signal = voiced * syllables + 0.05 * rng.standard_normal(t.size)
    pcm = (signal / np.abs(signal).max() * 0.8 * 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    return out.getvalue()


class Loopback:
    """The three outside services on 127.0.0.1: media host, detector vendor, platform receiver."""

    def __init__(self) -> None:
        self.media: dict[str, bytes] = {}
        self.arrived: dict[str, float] = {}  # content_id → wall-clock time the callback arrived
        self.bodies: dict[str, dict] = {}
        self.cond = threading.Condition()
        lb = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _answer(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802  (the media host)
                body = lb.media.get(self.path)
                if body is None:
                    self._answer(404, b"", "text/plain")
                else:
                    self._answer(200, body, "audio/wav")

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path == "/score":  # the detector vendor: answers at once
                    self._answer(200, b'{"score": 0.97}', "application/json")
                    return
                arrived = time.time()  # the platform's callback receiver
                body = json.loads(raw)
                with lb.cond:
                    lb.arrived.setdefault(body["content_id"], arrived)
                    lb.bodies.setdefault(body["content_id"], body)
                    lb.cond.notify_all()
                self._answer(200, b'{"ok": true}', "application/json")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def wait(self, content_id: str, timeout: float) -> float | None:
        deadline = time.monotonic() + timeout
        with self.cond:
            while content_id not in self.arrived:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)
            return self.arrived[content_id]


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def seed(loopback: Loopback):
    from django.core.management import call_command

    from elections.models import Country, Person
    from integrations.platforms.services import platform_create
    from triage.decisions.default import DEFAULT_RULES
    from triage.decisions.selectors import policy_active
    from triage.decisions.services import policy_activate, policy_draft_create
    from triage.evidence.models import DetectorConfig

    call_command("flush", interactive=False, verbosity=0)  # also drops the seeded calendar
    Country.objects.update_or_create(
        code="SK", defaults={"name": "Slovakia", "time_zones": ["Europe/Bratislava"], "languages": ["sk"]}
    )
    if policy_active() is None:
        policy_activate(policy_version_id=policy_draft_create(rules=DEFAULT_RULES).pk)
    Person.objects.get_or_create(name="Michal Šimečka", country_id="SK", defaults={"party": "PS"})
    DetectorConfig.objects.create(
        name="loopback-voice", adapter="generic_json", base_url=f"{loopback.base}/score", allow_private=True,
        trusted=True, threshold=0.5, timeout_seconds=10,
    )  # fmt: skip
    return platform_create(
        slug="videoshare", callback_url=f"{loopback.base}/callbacks", allow_private_fetch=True,
        default_countries=["SK"],
    )  # fmt: skip


def event(n: int, run: str, media_url: str) -> dict:
    return {
        "event_id": f"{run}-evt-{n}",
        "content": {
            "id": f"{run}-post-{n}",
            "url": f"https://videoshare.example/post/{n}",
            "media": [{"url": media_url, "media_type": "audio"}],
            "text": "Nahrávka Šimečku o kupovaní hlasov",
            "language": "sk",
            "subjects": ["Michal Šimečka"],
        },
        "report": {"source": "user_report", "reason": "synthetic_media"},
        "audience": {"countries": ["SK"]},
        "reach": {"views": 1200 + n, "shares": 30, "window_minutes": 60},
    }


def stages(content_id: str, posted: float, answered: float, arrived: float) -> dict:
    """Milliseconds from posting to each stage, read from the rows' timestamps."""
    from integrations.callbacks.models import DeliveryAttempt
    from triage.decisions.models import Decision
    from triage.evidence.models import Verdict
    from triage.models import Submission, SubmissionMedia

    sub = Submission.objects.get(content_id=content_id)
    media = SubmissionMedia.objects.filter(submission=sub).first()
    verdict = Verdict.objects.filter(media_item_id=media.media_item_id).order_by("created_at").first()
    decision = Decision.objects.filter(case_id=media.case_id).order_by("created_at").first()
    attempt = DeliveryAttempt.objects.filter(delivery__submission=sub).order_by("started_at").first()

    def ms(when) -> float | None:
        return round((when.timestamp() - posted) * 1000, 1) if when else None

    return {
        "webhook_answered": round((answered - posted) * 1000, 1),
        "fetched": ms(media.fetched_at),
        "verdict_fused": ms(verdict.created_at if verdict else None),
        "decision_written": ms(decision.created_at if decision else None),
        "delivery_started": ms(attempt.started_at if attempt else None),
        "callback_received": round((arrived - posted) * 1000, 1),
    }


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def main() -> None:  # noqa: PLR0915
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--port", type=int, default=8797)
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)  # noqa: S603
    media_root = tempfile.mkdtemp(prefix="bench-pipeline-media-")
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": os.environ.get(
            "SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
        ),
        "MEDIA_ROOT": media_root,
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)

    import django

    django.setup()
    import requests

    from config.celery import app
    from integrations.platforms.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature_compute

    loopback = Loopback()
    platform, secret = seed(loopback)
    app.control.purge()
    log = Path("/tmp/bench_pipeline_worker.log")
    procs = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{args.port}", "-w", "2",
             "--log-level", "warning"],
            cwd=ROOT, env=env,
        ),
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "config", "worker", f"--concurrency={args.concurrency}",
             "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING",
             f"--logfile={log}"],
            cwd=ROOT, env=env,
        ),
    ]  # fmt: skip
    session = requests.Session()
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5):
            if time.monotonic() > deadline:
                raise SystemExit(f"worker did not start; see {log}")
        while True:
            try:
                session.get(f"http://127.0.0.1:{args.port}/", timeout=2)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)

        run = f"p{int(time.time())}"
        timings, missing = [], []
        for n in range(args.warmup + args.events):
            path = f"/media/{run}-{n}.wav"
            loopback.media[path] = speech_like_wav(seed=hash((run, n)) & 0xFFFFFFFF)
            body = json.dumps(event(n, run, loopback.base + path)).encode()
            timestamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/json",
                TIMESTAMP_HEADER: timestamp,
                SIGNATURE_HEADER: signature_compute(secret=secret, timestamp=timestamp, body=body),
            }
            posted = time.time()
            answer = session.post(
                f"http://127.0.0.1:{args.port}/webhooks/{platform.slug}/",
                data=body,
                headers=headers,
                timeout=30,
            )
            answered = time.time()
            if answer.status_code not in (200, 201, 202):
                raise SystemExit(f"webhook answered {answer.status_code}: {answer.text[:300]}")
            content_id = f"{run}-post-{n}"
            arrived = loopback.wait(content_id, timeout=60)
            if n < args.warmup:
                continue
            if arrived is None:
                missing.append(content_id)
                continue
            timings.append((content_id, posted, answered, arrived))
        # Read the stages once every receipt is written: a delivery's attempt row is written after
        # the platform has answered, so it may not exist yet when the callback arrives.
        from integrations.callbacks.models import DeliveryAttempt

        deadline = time.monotonic() + 30
        while DeliveryAttempt.objects.count() < len(timings) + args.warmup and time.monotonic() < deadline:
            time.sleep(0.1)
        results = [stages(*timing) for timing in timings]
        latencies = [r["callback_received"] for r in results]
        first = loopback.bodies[timings[0][0]]

        def summary(key: str) -> dict:
            values = [r[key] for r in results if r[key] is not None]
            return {"p50": round(statistics.median(values), 1), "p95": round(pct(values, 0.95), 1)}

        report = {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": f"{os.cpu_count()} cores",
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "events": len(results),
            "missing_callbacks": missing,
            "worker_concurrency": args.concurrency,
            "audio": f"{SECONDS} s WAV, {RATE} Hz mono 16-bit, distinct per event",
            "callback_ms": {
                "p50": round(statistics.median(latencies), 1),
                "p95": round(pct(latencies, 0.95), 1),
                "max": round(max(latencies), 1),
                "min": round(min(latencies), 1),
            },
            "stages_ms_from_post": {
                k: summary(k)
                for k in (
                    "webhook_answered",
                    "fetched",
                    "verdict_fused",
                    "decision_written",
                    "delivery_started",
                    "callback_received",
                )
            },  # fmt: skip
            "decision_actions": [a["type"] for a in first["actions"]],
            "verdict": first["verdict"],
        }
        print(json.dumps(report, indent=2))
        (Path(__file__).parent / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
