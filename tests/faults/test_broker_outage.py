"""The broker stops while webhooks arrive: every submission is answered at once and processed,
each once, after the broker returns. A private redis-server is the broker (the shared services
are never stopped); gunicorn and a worker with its embedded beat run against it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest
import requests
from django.db import connection

from tests.ingestion.helpers import make_png, sample_event, sign_headers
from tests.kit.worker import ROOT, database_url_for, poll
from triage.models import Submission, SubmissionState

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    def __init__(self, workdir) -> None:
        self.port = _free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(  # noqa: S603
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

        def listening():
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", self.port)) == 0

        poll(listening, timeout=15, message="redis to listen")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=15)


@pytest.fixture
def private_redis(tmp_path):
    redis = PrivateRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture
def web_on_private_broker(private_redis, private_queue, shared_media_root, tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for(connection.settings_dict),
        "CELERY_BROKER_URL": private_redis.url,
        "CELERY_DEFAULT_QUEUE": private_queue,  # what the private worker consumes
        "MEDIA_ROOT": str(shared_media_root),
        "DJANGO_DEBUG": "1",
    }
    log = (tmp_path / "gunicorn.log").open("w")
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip

    def up():
        if proc.poll() is not None:
            raise RuntimeError((tmp_path / "gunicorn.log").read_text())
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0

    try:
        poll(up, timeout=30, message="gunicorn to listen")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def _post(base, platform, secret, event) -> requests.Response:
    body = json.dumps(event).encode()
    headers = {k.removeprefix("HTTP_").replace("_", "-"): v for k, v in sign_headers(secret, body).items()}
    return requests.post(
        f"{base}/webhooks/{platform.slug}/",
        data=body, headers={**headers, "Content-Type": "application/json"}, timeout=30,
    )  # fmt: skip


def test_webhooks_during_a_broker_outage_are_all_processed_once_it_returns(
    make_platform, media_server, private_redis, web_on_private_broker, private_workers
):
    platform, secret = make_platform("videoshare")
    private_workers.start(
        "steady", "-B", f"--schedule={private_workers.logdir / 'beat-schedule'}", ping=False,
        CELERY_BROKER_URL=private_redis.url, CLAIM_SWEEP_SECONDS=2, SUBMISSION_SWEEP_AFTER_SECONDS=1,
    )  # fmt: skip
    answers = []

    def send(n: int):
        url = media_server.add(f"/m{n}.png", make_png(color=(n, 2 * n, 3 * n)), content_type="image/png")
        answer = _post(
            web_on_private_broker,
            platform,
            secret,
            sample_event(f"evt-{n}", content_id=f"post-{n}", media_url=url),
        )
        # Answered at all is what counts (the request never talks to the broker): a latency bound
        # here failed on a loaded machine without saying anything about the broker.
        assert answer.status_code == 202, answer.text
        answers.append(answer.json()["submission_id"])

    for n in range(2):
        send(n)
    private_redis.stop()  # the broker goes away while webhooks keep arriving
    for n in range(2, 6):
        send(n)
    private_redis.start()  # and comes back at the same address

    def all_processed():
        states = list(Submission.objects.filter(pk__in=answers).values_list("state", flat=True))
        return len(states) == 6 and all(s == SubmissionState.PROCESSED for s in states)

    poll(all_processed, timeout=90, interval=0.5, message="every submission to be processed")
    assert [media_server.hits[f"/m{n}.png"] for n in range(6)] == [1] * 6  # each fetched once
