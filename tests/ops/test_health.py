"""`/healthz` says the process is alive; `/readyz` says whether it can do its work, and if not, what
is wrong: the database, the broker, a worker (and beat) seen recently, the bank indexes, the calendar."""

from datetime import timedelta

import pytest
from django.utils import timezone

from elections.models import SilenceWindow
from triage.decisions.transitions import window_transitions_run
from triage.evidence.banks.models import BankedItem
from triage.models import WorkerHeartbeat
from triage.readiness import worker_heartbeat_stamp

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker_alive(settings):
    """A worker has run the periodic sweep and beat has recorded every window transition due.

    The seeded calendar is real: on some days a real window has just opened (the Gambian
    presidential election's on 2026-12-04), and readiness rightly waits for beat to record it."""
    settings.CLOCK_NOW = None
    worker_heartbeat_stamp()
    while window_transitions_run():  # an opening recorded can make its closing due
        pass


def test_healthz_answers_while_the_process_lives(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "alive"}


def test_ready_when_every_part_is(client, worker_alive):
    answer = client.get("/readyz")

    assert answer.status_code == 200, answer.json()
    checks = answer.json()["checks"]
    assert set(checks) >= {"database", "broker", "worker", "bank_indexes", "calendar_transitions"}
    assert all(check["ok"] for check in checks.values())


def test_not_ready_without_a_worker_seen_recently(client, worker_alive, settings):
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=5))

    answer = client.get("/readyz")

    assert answer.status_code == 503
    worker = answer.json()["checks"]["worker"]
    assert worker["ok"] is False
    assert "no worker has run the periodic sweep for 300 s" in worker["error"]


def test_not_ready_when_the_broker_cannot_be_reached(client, worker_alive, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "amqp://guest:guest@127.0.0.1:1//"  # nothing listens there

    answer = client.get("/readyz")

    assert answer.status_code == 503
    assert answer.json()["checks"]["broker"]["ok"] is False
    assert answer.json()["checks"]["database"]["ok"] is True


def test_not_ready_when_a_silence_window_opened_and_nothing_recorded_it(client, worker_alive, settings):
    window = SilenceWindow.objects.order_by("-start").first()
    settings.CLOCK_NOW = window.start + timedelta(minutes=10)  # beat has not run since it opened

    answer = client.get("/readyz")

    assert answer.status_code == 503
    calendar = answer.json()["checks"]["calendar_transitions"]
    assert "late, the oldest opened" in calendar["error"]


def test_not_ready_when_a_banked_item_cannot_be_indexed(client, worker_alive):
    from triage.evidence.banks.services import bank_get_or_create

    bank = bank_get_or_create(name="robocalls", purpose="debunked")
    BankedItem.objects.create(bank=bank, sha256="0" * 64, media_type="image", fingerprint=b"")

    answer = client.get("/readyz")

    assert answer.status_code == 503
    assert "no fingerprint" in answer.json()["checks"]["bank_indexes"]["error"]
