"""Re-evaluating a batch of cases at one instant: shared reads once, follow-up tasks coalesced."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from triage.decisions.followups import decision_followup, decision_followups_coalesced
from triage.decisions.inputs import batch_memo
from triage.decisions.models import Decision
from triage.decisions.services import case_decide_by_policy

from . import factories


def test_a_follow_up_outside_a_batch_is_handed_over_at_once():
    handed = []

    decision_followup(key="fan_out", decision_id=7, flush=handed.append)

    assert handed == [[7]]


def test_a_batch_hands_its_follow_ups_over_once_at_its_end_even_after_an_error():
    handed = []

    with pytest.raises(RuntimeError), decision_followups_coalesced():
        for decision_id in (1, 2, 3):
            decision_followup(key="fan_out", decision_id=decision_id, flush=handed.append)
            assert handed == []
        raise RuntimeError("case 4 failed")

    assert handed == [[1, 2, 3]]


@pytest.mark.django_db
def test_a_batch_reads_the_calendar_registry_and_policy_once_and_decides_as_case_by_case(default_policy):
    now = timezone.now()
    factories.silence_window(code="SK", start=now - timedelta(hours=1), end=now + timedelta(hours=40))
    factories.person("Michal Šimečka", code="SK")
    cases = [factories.case(countries=["SK"], subjects=["Michal Šimečka"], language="sk") for _ in range(3)]
    for case in cases:
        factories.verdict(case, "likely_synthetic")

    with CaptureQueriesContext(connection) as queries, batch_memo():
        for case in cases:
            case_decide_by_policy(case_id=case.pk, trigger="window_opened", at=now)

    def reads(table: str) -> int:
        return sum(
            1
            for q in queries.captured_queries
            if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"]
        )

    # Once for the phase, once for every window in force (the hold's countries): per batch, not per case.
    assert reads("elections_silencewindow") == 2
    assert reads("elections_person") == 1
    assert reads("policy_policyversion") == 1
    decisions = Decision.objects.filter(is_current=True, case__in=cases)
    assert [(d.hold_reason, d.phase) for d in decisions] == [("silence", "silence")] * 3
