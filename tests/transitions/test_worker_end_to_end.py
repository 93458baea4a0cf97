"""End to end with a real broker and worker: silence opens, the policy holds; it closes, a human decides."""

from datetime import timedelta

import pytest

from tests.kit.silence import SK_CLOSES, SK_OPENS, make_case, make_reported_case
from tests.kit.worker import poll
from triage.decisions.models import Decision, TransitionKind, WindowTransition
from triage.decisions.transitions import window_transitions_run
from triage.models import CaseStatus

pytestmark = pytest.mark.django_db(transaction=True)


def finished(kind: str) -> bool:
    return WindowTransition.objects.filter(kind=kind, finished_at__isnull=False).exists()


def test_silence_holds_the_deepfake_and_its_close_sends_it_to_a_human(
    slovak_election, active_policy, party_leader, celery_worker_process, settings
):
    deepfake = make_reported_case("SK")
    abroad = make_reported_case("CZ")
    bystanders = [make_case("SK") for _ in range(3)]  # no media yet: the policy has nothing to decide

    settings.CLOCK_NOW = SK_OPENS + timedelta(seconds=10)
    [opened] = window_transitions_run()
    assert opened.cases_total == 1 + len(bystanders)
    poll(lambda: finished(TransitionKind.OPENED), timeout=60, message="the opening's re-evaluation")

    held = Decision.objects.get(case=deepfake, is_current=True)
    assert held.phase == "silence"
    assert held.hold_reason == "silence"
    assert "removal_hold" in held.action_types()
    assert held.phase_reason["country"] == "SK"
    assert not Decision.objects.filter(case=abroad).exists()

    settings.CLOCK_NOW = SK_CLOSES + timedelta(seconds=10)
    [closed] = window_transitions_run()
    assert closed.kind == TransitionKind.CLOSED
    poll(lambda: finished(TransitionKind.CLOSED), timeout=60, message="the closing's re-evaluation")

    after = Decision.objects.get(case=deepfake, is_current=True)
    assert after.supersedes_id == held.pk
    assert after.phase != "silence"
    assert "removal_hold" in after.action_types()  # not released silently
    assert after.hold_reason == "post_silence"
    deepfake.refresh_from_db()
    assert deepfake.status == CaseStatus.AWAITING_REVIEW
    assert window_transitions_run() == []  # a later beat: nothing doubled
    assert WindowTransition.objects.count() == 2
