"""Fingerprint matching runs on its own queue, whose workers hold the bank indexes in memory."""

import pytest
from django.conf import settings

from config.celery import app
from triage.evidence.tasks import check_run_task, check_task_for_kind, fingerprint_check_task


def test_the_fingerprint_check_is_routed_to_the_banks_queue():
    assert check_task_for_kind("fingerprint") is fingerprint_check_task
    route = app.amqp.router.route({}, fingerprint_check_task.name)
    assert route["queue"].name == settings.CELERY_BANKS_QUEUE == "banks"


@pytest.mark.parametrize("kind", ["c2pa", "metadata", "detector:hive"])
def test_every_other_check_stays_on_the_default_queue(kind):
    task = check_task_for_kind(kind)
    assert task is check_run_task
    assert app.amqp.router.route({}, task.name)["queue"].name == settings.CELERY_TASK_DEFAULT_QUEUE


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_worker_started_without_queues_consumes_the_banks_queue_too(celery_worker_process):
    # Asked by name, the worker's reply ends the wait (a broadcast waits out the whole timeout).
    queues = app.control.inspect(destination=[celery_worker_process.node], timeout=5).active_queues() or {}
    consumed = {q["name"] for node in queues.values() for q in node}
    assert {"celery", "banks"} <= consumed
