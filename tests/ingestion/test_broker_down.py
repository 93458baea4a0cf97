"""A broker that is down when the webhook arrives costs minutes, not data: the sweeper recovers it.

The broker here is the worst kind of down: an address that accepts the connection and then never
says a word, so anything on the request's path that waited for the broker would wait until the
client gave up. The test asserts that webhooks are answered (not how fast, which a loaded
machine decides): the request never talks to the broker, the web process's publishing thread
does, and the sweeper is the retry.
"""

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


@pytest.fixture
def silent_broker_port():
    """A port whose connections the kernel accepts (the backlog) and nobody ever answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(64)
        yield s.getsockname()[1]


def _dead_broker_url(broker_url: str, port: int) -> str:
    """The same kind of broker as the real one, at a port that never answers."""
    if broker_url.startswith("amqp"):
        return f"amqp://guest:guest@127.0.0.1:{port}//"
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def webhook_with_broker_down(shared_media_root, tmp_path, silent_broker_port):
    """Serve the app with gunicorn, pointed at a broker address that never answers."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for(connection.settings_dict),
        "CELERY_BROKER_URL": _dead_broker_url(os.environ["CELERY_BROKER_URL"], silent_broker_port),
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

    def post(event_id: str) -> requests.Response:
        body = json.dumps(sample_event(event_id, content_id=f"post-{event_id}", media_url=url)).encode()
        headers = {
            name.removeprefix("HTTP_").replace("_", "-"): value
            for name, value in sign_headers(secret, body).items()
        }
        # The client's timeout is the bound: a request waiting on a broker that never answers would
        # hit it; a loaded machine answering slowly would not (it is far above any load seen here).
        return requests.post(
            f"{webhook_with_broker_down}/webhooks/{platform.slug}/",
            data=body, headers={**headers, "Content-Type": "application/json"}, timeout=90,
        )  # fmt: skip

    # Three in a row: by the second, the publishing thread is stuck on the silent broker, and the
    # requests must not queue behind it.
    responses = [post(f"evt-down-{i}") for i in range(3)]

    assert [r.status_code for r in responses] == [202, 202, 202], responses[-1].text
    ids = [r.json()["submission_id"] for r in responses]
    assert set(Submission.objects.filter(pk__in=ids).values_list("state", flat=True)) == {
        SubmissionState.PENDING
    }
    assert media_server.hits["/a.wav"] == 0

    # The periodic sweeper (here called directly, with the real broker) re-enqueues it.
    assert submissions_sweep(overdue_seconds=0) == 3
    poll(
        lambda: Submission.objects.filter(pk__in=ids, state=SubmissionState.PROCESSED).count() == 3,
        timeout=120,
        message="the worker to process the swept submissions",
    )
    assert media_server.hits["/a.wav"] == 3
