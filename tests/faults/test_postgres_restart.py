"""PostgreSQL restarts while webhooks arrive: requests fail cleanly (503, never 500), nothing
half-written survives, and the work resumes.

The shared PostgreSQL must never be restarted, so this test runs a whole deployment (gunicorn,
a prefork worker, a beat) on a throwaway cluster of its own (tests/kit/stack.py), fed by four
senders posting signed webhooks with real WAV media from a loopback server. Midway it stops the
cluster (fast shutdown: open transactions are cut off), keeps sending for a while, starts it
again, and then plays the platform: every event answered 503 is sent again, as the contract
says a platform does. Sweeps and leases are shortened so the recovery takes seconds.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
import requests

from integrations.platforms.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature_compute
from tests.ingestion.helpers import make_wav, sample_event
from tests.kit.stack import Stack, ThrowawayPostgres, port_free, postgres_bin_dir
from tests.kit.worker import poll

pytestmark = [pytest.mark.integration]

PORTS = range(18410, 18450)  # this engineer's range; two free ones are taken
SENDERS = 4
OUTAGE_SECONDS = 6

SETUP = """
import json
from integrations.platforms.services import platform_create
platform, secret = platform_create(slug="faultshare", allow_private_fetch=True)
print(json.dumps({"slug": platform.slug, "secret": secret}))
"""


def _free_ports(count: int) -> list[int]:
    ports = [p for p in PORTS if port_free(p)][:count]
    if len(ports) < count:
        pytest.skip(f"fewer than {count} free ports in {PORTS}")
    return ports


@pytest.fixture
def cluster():
    if postgres_bin_dir() is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin")
    [port] = _free_ports(1)
    pg = ThrowawayPostgres(port)
    try:
        pg.init()
        pg.start()
        pg.createdb("moratorium")
        yield pg
    finally:
        pg.destroy()


@pytest.fixture
def stack(cluster, tmp_path, media_server):
    [web_port] = [p for p in _free_ports(2) if p != cluster.port][:1]
    stack = Stack(
        database_url=cluster.url("moratorium"),
        web_port=web_port,
        logdir=tmp_path,
        media_root=tmp_path / "media",
        CLAIM_HEARTBEAT_SECONDS=1,
        CLAIM_LEASE_SECONDS=4,
        CLAIM_SWEEP_SECONDS=2,
        SUBMISSION_SWEEP_AFTER_SECONDS=3,
        LOG_FORMAT="text",
    )
    stack.manage("migrate", "--noinput")
    stack.platform = stack.python(SETUP)
    try:
        stack.start_web(workers=2)
        stack.start_worker(concurrency=2)
        stack.start_beat()
        yield stack
    finally:
        stack.stop()


class Sender:
    """Posts signed events, each with its own content and media, and remembers every answer."""

    def __init__(self, stack: Stack, media_server) -> None:
        self.stack = stack
        self.media_server = media_server
        self.answers: dict[str, list[int | str]] = {}
        self.lock = threading.Lock()
        self.serial = iter(range(10**9))

    def event(self, event_id: str) -> bytes:
        n = int(event_id.rsplit("-", 1)[1])
        path = f"/pg-{n}.wav"
        if path not in self.media_server.routes:  # distinct media: each submission fetches its own
            self.media_server.add(path, make_wav(seconds=0.2, frequency=200 + n), content_type="audio/wav")
        url = self.media_server.url(path)
        return json.dumps(sample_event(event_id, content_id=f"post-{event_id}", media_url=url)).encode()

    def post(self, event_id: str) -> int | str:
        body = self.event(event_id)
        ts = str(int(time.time()))
        platform = self.stack.platform
        headers = {
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: ts,
            SIGNATURE_HEADER: signature_compute(secret=platform["secret"], timestamp=ts, body=body),
        }
        try:
            status: int | str = requests.post(
                f"{self.stack.url}/webhooks/{platform['slug']}/", data=body, headers=headers, timeout=60
            ).status_code
        except requests.RequestException as exc:  # no answer at all is a failure too, and recorded
            status = type(exc).__name__
        with self.lock:
            self.answers.setdefault(event_id, []).append(status)
        return status

    def new(self) -> int | str:
        return self.post(f"evt-{next(self.serial)}")

    def run_until(self, stop: threading.Event) -> None:
        while not stop.is_set():
            if self.new() != 202:
                stop.wait(0.2)  # pacing, not waiting for a condition: a refused sender backs off a little


def _rows(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url, connect_timeout=5) as conn:
        return conn.execute(sql).fetchall()


@pytest.mark.timeout(900)  # ~200 s under load average 10, most of it migrating the new cluster
def test_postgres_restarting_under_webhook_load(cluster, stack, media_server):
    sender = Sender(stack, media_server)
    assert sender.new() == 202  # the deployment works before the fault

    stop = threading.Event()
    with ThreadPoolExecutor(SENDERS) as pool:
        running = [pool.submit(sender.run_until, stop) for _ in range(SENDERS)]
        poll(lambda: len(sender.answers) >= 10, timeout=120, message="traffic before the fault")
        cluster.stop("fast")  # cuts off the web's and the worker's open transactions
        down_at = time.monotonic()
        poll(
            lambda: (
                time.monotonic() - down_at > OUTAGE_SECONDS
                and sum(503 in a for a in sender.answers.values()) >= 3
            ),
            timeout=120,
            message="webhooks answered while the database is down",
        )
        cluster.start()
        up_at = time.monotonic()
        poll(
            lambda: sum(a[-1] == 202 for a in list(sender.answers.values())[-SENDERS * 3 :]) >= SENDERS,
            timeout=120,
            message="webhooks accepted again after the restart",
        )
        stop.set()
        for future in running:
            future.result()
    accepting_after = time.monotonic() - up_at

    first_answers = Counter(answers[0] for answers in sender.answers.values())
    assert set(first_answers) <= {202, 503}, first_answers  # never a 500, never no answer
    assert first_answers[503] >= 3 and first_answers[202] >= 10, first_answers

    # The platform sends again what was answered 503 (the contract: retry on 5xx).
    refused = [event_id for event_id, answers in sender.answers.items() if answers[0] == 503]
    for event_id in refused:
        assert sender.post(event_id) in (200, 202)

    url = cluster.url("moratorium")
    events = set(sender.answers)

    def all_processed():
        rows = _rows(url, "SELECT state, count(*) FROM triage_submission GROUP BY state")
        return dict(rows) == {"processed": len(events)} and dict(rows)

    poll(all_processed, timeout=300, interval=1, message="every submission processed after the restart")

    # Exactly one submission per event sent, none of the refused ones twice; each has its media
    # stored and linked, and a case: nothing half-written was left by the cut-off transactions.
    stored = _rows(url, "SELECT first_event_id FROM triage_submission")
    assert sorted(e for (e,) in stored) == sorted(events)
    recorded = _rows(url, "SELECT event_id FROM triage_submissionevent")
    assert sorted(e for (e,) in recorded) == sorted(events)
    [(unlinked,)] = _rows(
        url,
        "SELECT count(*) FROM triage_submission s WHERE NOT EXISTS "
        "(SELECT 1 FROM triage_submissionmedia m WHERE m.submission_id = s.id)",
    )
    assert unlinked == 0
    [(without_case,)] = _rows(
        url,
        "SELECT count(*) FROM triage_submission s WHERE NOT EXISTS "
        "(SELECT 1 FROM triage_case c WHERE c.id = s.case_id)",
    )
    assert without_case == 0
    [(media_items,)] = _rows(url, "SELECT count(*) FROM triage_mediaitem")
    assert media_items == len(events)  # one file per distinct WAV, none stored twice
    assert "Traceback" not in stack.log("gunicorn"), stack.log("gunicorn")[-3000:]
    print(f"answers {dict(first_answers)}, accepting again {accepting_after:.1f} s after the restart")
