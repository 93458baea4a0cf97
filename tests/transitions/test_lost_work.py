"""A batch whose message was lost, or whose worker died mid-batch, is picked up again by a later beat."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.kit.silence import SK_OPENS, make_case
from triage.decisions.models import TransitionBatchState, WindowTransitionBatch
from triage.decisions.transitions import (
    transition_batch_process,
    transition_batches_sweep,
    window_transitions_run,
)

pytestmark = pytest.mark.django_db


def test_a_pending_batch_whose_message_was_lost_is_re_enqueued(slovak_election):
    make_case("SK")
    [opened] = window_transitions_run(now=SK_OPENS)
    batch = opened.batches.get()
    assert transition_batches_sweep(now=SK_OPENS) == 0  # just enqueued: not stale yet
    WindowTransitionBatch.objects.filter(pk=batch.pk).update(
        enqueued_at=timezone.now() - timedelta(minutes=5)
    )
    assert transition_batches_sweep(now=SK_OPENS) == 1


def test_a_batch_claimed_by_a_worker_that_died_is_taken_over_after_the_lease(slovak_election, settings):
    make_case("SK")
    [opened] = window_transitions_run(now=SK_OPENS)
    batch = opened.batches.get()
    WindowTransitionBatch.objects.filter(pk=batch.pk).update(
        state=TransitionBatchState.RUNNING, claimed_at=timezone.now()
    )
    assert transition_batch_process(batch_id=batch.pk, at=SK_OPENS) == 0  # still leased to the other worker

    WindowTransitionBatch.objects.filter(pk=batch.pk).update(
        claimed_at=timezone.now() - timedelta(seconds=settings.WINDOW_TRANSITION_LEASE_SECONDS + 1)
    )
    assert transition_batches_sweep(now=SK_OPENS) == 1
    assert transition_batch_process(batch_id=batch.pk, at=SK_OPENS) == 1
    opened.refresh_from_db()
    assert opened.finished_at == SK_OPENS
