"""Each opening and closing is recorded once, at the window's current boundaries, with the clock moved."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from elections.services import window_adjust
from tests.kit.silence import SK_CLOSES, SK_OPENS, make_case
from triage.audit.models import AuditEvent
from triage.decisions.models import TransitionKind, WindowTransition, WindowTransitionBatch
from triage.decisions.transitions import transition_batch_process, window_transitions_run

MINUTE = timedelta(minutes=1)


def reevaluate(transitions: list[WindowTransition], at) -> None:
    """Run every batch of `transitions` the way a worker would."""
    for transition in transitions:
        for batch_id in transition.batches.values_list("pk", flat=True):
            transition_batch_process(batch_id=batch_id, at=at)


def kinds(transitions: list[WindowTransition]) -> list[tuple[str, object]]:
    return [(t.kind, t.boundary_at) for t in transitions]


@pytest.mark.django_db
def test_nothing_happens_before_the_window_opens(slovak_election):
    make_case("SK")
    assert window_transitions_run(now=SK_OPENS - timedelta(seconds=1)) == []


@pytest.mark.django_db
def test_the_window_opens_once_and_closes_once(slovak_election):
    make_case("SK")

    opened = window_transitions_run(now=SK_OPENS)
    assert kinds(opened) == [(TransitionKind.OPENED, SK_OPENS)]
    assert window_transitions_run(now=SK_OPENS + MINUTE) == []  # the next beat finds nothing new
    reevaluate(opened, SK_OPENS + MINUTE)
    assert WindowTransition.objects.get(kind=TransitionKind.OPENED).finished_at is not None

    assert window_transitions_run(now=SK_CLOSES - timedelta(seconds=1)) == []
    closed = window_transitions_run(now=SK_CLOSES)
    assert kinds(closed) == [(TransitionKind.CLOSED, SK_CLOSES)]
    reevaluate(closed, SK_CLOSES)
    assert window_transitions_run(now=SK_CLOSES + 10 * MINUTE) == []

    actions = list(
        AuditEvent.objects.filter(action__startswith="window.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "window.opened",
        "window.opened.reevaluated",
        "window.closed",
        "window.closed.reevaluated",
    ]


@pytest.mark.django_db
def test_a_batch_delivered_twice_is_evaluated_once(slovak_election):
    make_case("SK")
    [opened] = window_transitions_run(now=SK_OPENS)
    batch = opened.batches.get()
    assert transition_batch_process(batch_id=batch.pk, at=SK_OPENS) == 1
    assert transition_batch_process(batch_id=batch.pk, at=SK_OPENS) == 0  # already done: no work


@pytest.mark.django_db
def test_an_extended_window_closes_at_its_new_end_only(slovak_election):
    make_case("SK")
    reevaluate(window_transitions_run(now=SK_OPENS), SK_OPENS)
    window = slovak_election.windows.get()
    new_end = SK_CLOSES + timedelta(minutes=40)
    window_adjust(window=window, new_end=new_end, reason="Voting extended at one polling station")

    assert window_transitions_run(now=SK_CLOSES + MINUTE) == []  # the old end passes unremarked
    closed = window_transitions_run(now=new_end)
    assert kinds(closed) == [(TransitionKind.CLOSED, new_end)]
    assert WindowTransition.objects.filter(kind=TransitionKind.CLOSED).count() == 1


@pytest.mark.django_db
def test_after_downtime_a_window_that_opened_and_closed_gets_both_in_order(slovak_election):
    make_case("SK")
    back_up = SK_CLOSES + timedelta(hours=5)

    first = window_transitions_run(now=back_up)
    assert kinds(first) == [(TransitionKind.OPENED, SK_OPENS)]  # the close waits for the opening's cases
    assert window_transitions_run(now=back_up + MINUTE) == []
    reevaluate(first, back_up)
    second = window_transitions_run(now=back_up + MINUTE)
    assert kinds(second) == [(TransitionKind.CLOSED, SK_CLOSES)]
    assert first[0].recorded_at == back_up


@pytest.mark.django_db
def test_transitions_older_than_the_catch_up_horizon_are_history(slovak_election, settings):
    settings.WINDOW_TRANSITION_CATCHUP_HOURS = 24
    make_case("SK")
    assert window_transitions_run(now=SK_CLOSES + timedelta(hours=25)) == []


@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_record_each_transition_once(slovak_election):
    for _ in range(5):
        make_case("SK")
    results: list[list[WindowTransition]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def beat() -> None:
        try:
            start.wait(timeout=10)
            results.append(window_transitions_run(now=SK_OPENS + MINUTE))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(len(r) for r in results) == [0, 1]
    assert WindowTransition.objects.count() == 1
    assert WindowTransitionBatch.objects.count() == 1
    assert AuditEvent.objects.filter(action="window.opened").count() == 1


@pytest.mark.django_db
def test_a_window_removed_while_open_closes_once(slovak_election):
    make_case("SK")
    reevaluate(window_transitions_run(now=SK_OPENS), SK_OPENS)
    slovak_election.delete()  # the election was entered by mistake: its window goes with it

    closed = window_transitions_run(now=SK_OPENS + MINUTE)
    assert kinds(closed) == [(TransitionKind.CLOSED, SK_OPENS)]
    assert closed[0].window_id is None
    assert closed[0].cases_total == 1
    reevaluate(closed, SK_OPENS + MINUTE)
    assert window_transitions_run(now=SK_OPENS + 2 * MINUTE) == []
    event = AuditEvent.objects.get(action="window.closed")
    assert event.inputs["window_removed"] is True
