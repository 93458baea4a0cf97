"""A broker that is down when the webhook arrives costs minutes, not data: the sweeper recovers it."""

import json
import os
import socket
import subprocess
import sys

import pytest
import requests
from django.db import connection

from tests.ingestion.helpers import make_wav, sample_event, sign_headers
from tests.kit.worker import ROOT, database_url_for, poll
from triage.intake.fetch import submissions_sweep
from triage.models import Submission, SubmissionState

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dead_broker_url(broker_url: str) -> str:
    """The same kind of broker as the real one, at a port where nothing listens."""
    port = _free_port()
    if broker_url.startswith("amqp"):
        return f"amqp://guest:guest@127.0.0.1:{port}//"
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def webhook_with_broker_down(shared_media_root, tmp_path):
    """Serve the app with gunicorn, pointed at a broker address where nothing listens."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for(connection.settings_dict),
        "CELERY_BROKER_URL": _dead_broker_url(os.environ["CELERY_BROKER_URL"]),
        "MEDIA_ROOT": str(shared_media_root),
        "DJANGO_DEBUG": "1",
    }
    log = (tmp_path / "gunicorn.log").open("w")
    proc = subprocess.Popen(
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


def test_an_event_accepted_while_the_broker_is_down_is_processed_after_a_sweep(
    make_platform, media_server, webhook_with_broker_down, celery_worker_process
):
    platform, secret = make_platform("videoshare")
    url = media_server.add("/a.wav", make_wav(), content_type="audio/wav")
    body = json.dumps(sample_event("evt-down", media_url=url)).encode()
    headers = {
        name.removeprefix("HTTP_").replace("_", "-"): value
        for name, value in sign_headers(secret, body).items()
    }

    response = requests.post(
        f"{webhook_with_broker_down}/webhooks/{platform.slug}/",
        data=body, headers={**headers, "Content-Type": "application/json"}, timeout=30,
    )  # fmt: skip

    assert response.status_code == 202, response.text
    assert response.elapsed.total_seconds() < 5  # no waiting on the dead broker
    submission = Submission.objects.get(pk=response.json()["submission_id"])
    assert submission.state == SubmissionState.PENDING
    assert media_server.hits["/a.wav"] == 0

    # The periodic sweeper (here called directly, with the real broker) re-enqueues it.
    assert submissions_sweep(overdue_seconds=0) == 1
    poll(
        lambda: Submission.objects.get(pk=submission.pk).state == SubmissionState.PROCESSED,
        message="the worker to process the swept submission",
    )
    assert media_server.hits["/a.wav"] == 1
