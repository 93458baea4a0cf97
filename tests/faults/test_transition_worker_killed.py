"""A worker SIGKILLed in the middle of a window transition's batch: the batch is taken back
within about a minute and finished by another worker, never by two at once, each case decided once.

The doomed worker is held in the middle of its batch by a row lock this test takes on one of
the batch's cases (what a slow case or a stuck lock looks like from outside). Leases are
shortened (4 s, a heartbeat every second) so the test runs in seconds; production defaults are a
45 s lease, a 10 s heartbeat and a 20 s transition beat. The test process plays beat.
"""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection

from tests.kit.silence import SK_OPENS, make_reported_case
from tests.kit.worker import poll
from triage.decisions.models import (
    Decision,
    TransitionBatchState,
    WindowTransition,
    WindowTransitionBatch,
)
from triage.decisions.transitions import (
    transition_batch_process,
    transition_batches_sweep,
    window_transitions_run,
)
from triage.models import Case

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

LEASE = 4
SHORT_LEASES = {
    "CLAIM_HEARTBEAT_SECONDS": 1,
    "CLAIM_LEASE_SECONDS": LEASE,
    "WINDOW_TRANSITION_LEASE_SECONDS": LEASE,
}
RECOVERY_DEADLINE = 60  # "about a minute", with the production settings


@pytest.fixture
def short_leases(settings):
    for name, value in SHORT_LEASES.items():
        setattr(settings, name, value)


@pytest.fixture
def case_lock():
    """Take a case's row lock from a connection of the test's own, as a stuck transaction would."""
    params = connection.get_connection_params()
    held = []

    def lock(case_id: int) -> None:
        conn = psycopg.connect(
            host=params.get("host") or "127.0.0.1",
            port=params.get("port") or 5432,
            user=params.get("user") or "postgres",
            password=params.get("password") or None,
            dbname=params["dbname"],
        )
        conn.execute(f"SELECT 1 FROM {Case._meta.db_table} WHERE id = %s FOR UPDATE", [case_id])  # noqa: S608
        held.append(conn)

    def release() -> None:
        while held:
            conn = held.pop()
            conn.rollback()
            conn.close()

    lock.release = release  # type: ignore[attr-defined]
    yield lock
    release()


def test_a_transition_batch_whose_worker_is_killed_is_finished_once_by_another(
    empty_calendar, slovak_election, active_policy, party_leader, private_workers, short_leases, case_lock
):
    first, stuck, last = (make_reported_case("SK") for _ in range(3))
    case_lock(stuck.pk)
    private_workers.start("doomed", **SHORT_LEASES)

    [opened] = window_transitions_run(now=SK_OPENS)  # its batch is enqueued on commit, to the doomed worker
    batch = opened.batches.get()
    assert sorted(batch.case_ids) == sorted([first.pk, stuck.pk, last.pk])

    def claimed_at():
        return (
            WindowTransitionBatch.objects.filter(pk=batch.pk, state=TransitionBatchState.RUNNING)
            .values_list("claimed_at", flat=True)
            .first()
        )

    first_stamp = poll(claimed_at, message="the doomed worker to claim the batch")
    poll(
        lambda: (stamp := claimed_at()) is not None and (stamp - first_stamp).total_seconds() > LEASE,
        message="the heartbeat to renew the claim past a lease",
    )
    # A live holder's batch is never taken back, by the beat or by a duplicate delivery.
    assert transition_batches_sweep(now=SK_OPENS) == 0
    assert transition_batch_process(batch_id=batch.pk, at=SK_OPENS) == 0

    private_workers.kill("doomed")
    killed_at = time.monotonic()
    # The dead worker's session ends once PostgreSQL notices its client is gone; the lock holder
    # lets go so that the batch can be finished.
    case_lock.release()
    private_workers.start("survivor", **SHORT_LEASES)

    def finished():
        transition_batches_sweep(now=SK_OPENS)  # what beat does every WINDOW_TRANSITION_BEAT_SECONDS
        return WindowTransition.objects.filter(pk=opened.pk, finished_at__isnull=False).exists()

    poll(
        finished, timeout=RECOVERY_DEADLINE, interval=0.5, message="the batch to be finished by the survivor"
    )
    recovered_in = time.monotonic() - killed_at

    batch.refresh_from_db()
    assert batch.state == TransitionBatchState.DONE and batch.failed_case_ids == []
    for case in (first, stuck, last):
        # Decided once: the survivor re-deciding the case the doomed worker had done changed nothing.
        assert [d.phase for d in Decision.objects.filter(case=case)] == ["silence"], case
    assert recovered_in < RECOVERY_DEADLINE
