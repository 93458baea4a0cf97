"""Deciding a case: idempotent, superseding, audited, signalled, prioritised; humans have the last word."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.policy import factories
from triage.audit.models import AuditEvent
from triage.decisions.models import Decision
from triage.decisions.selectors import cases_review_queue
from triage.decisions.services import (
    case_confirm_policy_decision,
    case_decide_by_moderator,
    case_decide_by_policy,
)
from triage.models import Case
from triage.signals import decision_made

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_policy")]


@pytest.fixture
def sent():
    ids: list[int] = []

    def receiver(sender, *, decision_id, **kwargs):
        ids.append(decision_id)

    decision_made.connect(receiver, dispatch_uid="test-decisions")
    yield ids
    decision_made.disconnect(dispatch_uid="test-decisions")


def test_the_same_outcome_twice_makes_one_decision_and_one_signal(django_capture_on_commit_callbacks, sent):
    case = factories.case(countries=["US"], language="en")
    factories.verdict(case, "likely_synthetic")

    with django_capture_on_commit_callbacks(execute=True):
        first = case_decide_by_policy(case_id=case.pk, trigger="verdict")
        again = case_decide_by_policy(case_id=case.pk, trigger="reevaluate")

    assert first is not None and again is None
    assert sent == [first.pk]
    assert Decision.objects.filter(case=case).count() == 1
    event = AuditEvent.objects.get(case=case, action="case.decided")
    assert event.policy_version == first.policy_version.version
    assert event.inputs["verdict"] == "likely_synthetic"
    assert event.outcome["matched_rules"] == ["likely_synthetic_label"]


def test_a_new_verdict_supersedes_the_current_decision():
    case = factories.case(countries=["US"], language="en")
    factories.verdict(case, "uncertain")
    first = case_decide_by_policy(case_id=case.pk, trigger="verdict")
    factories.verdict(case, "likely_synthetic")

    second = case_decide_by_policy(case_id=case.pk, trigger="verdict")

    first.refresh_from_db()
    assert (first.is_current, second.is_current, second.supersedes_id) == (False, True, first.pk)


def test_merged_cases_and_cases_without_media_are_not_decided():
    case = factories.case(countries=["US"])
    factories.verdict(case, "likely_synthetic")
    bare = Case.objects.create(audience_countries=["US"], audience_key="US")

    assert case_decide_by_policy(case_id=bare.pk, trigger="verdict") is None
    assert case_decide_by_policy(case_id=999999, trigger="verdict") is None


def test_silence_holds_top_the_queue_and_earlier_deadlines_rank_higher():
    now = timezone.now()
    factories.silence_window(code="SK", start=now - timedelta(hours=1), end=now + timedelta(hours=40))
    factories.person("Michal Šimečka", code="SK")
    uncertain = factories.case(countries=["US"], language="en")
    factories.verdict(uncertain, "uncertain")
    later_hold = factories.case(countries=["SK"], language="sk", subjects=["Michal Šimečka"])
    factories.verdict(later_hold, "likely_synthetic")
    early_hold = factories.case(countries=["SK"], language="sk", subjects=["Michal Šimečka"])
    factories.verdict(early_hold, "likely_synthetic")

    case_decide_by_policy(case_id=uncertain.pk, trigger="verdict", at=now - timedelta(minutes=30))
    case_decide_by_policy(case_id=later_hold.pk, trigger="verdict", at=now)
    case_decide_by_policy(case_id=early_hold.pk, trigger="verdict", at=now - timedelta(minutes=10))

    assert list(cases_review_queue().values_list("pk", flat=True)) == [
        early_hold.pk,
        later_hold.pk,
        uncertain.pk,
    ]


def test_a_moderator_decision_stands_against_later_policy_runs(
    alice, sent, django_capture_on_commit_callbacks
):
    case = factories.case(countries=["PK"], language="ur")
    factories.verdict(case, "uncertain")
    case_decide_by_policy(case_id=case.pk, trigger="verdict")

    with django_capture_on_commit_callbacks(execute=True):
        decision = case_decide_by_moderator(
            case_id=case.pk,
            user=alice,
            actions=[
                {"type": "label", "kind": "authenticity_disputed"},
                {"type": "escalate", "reason": "legal"},
            ],
            note="checked with the fact-checkers",
        )
    factories.verdict(case, "likely_synthetic")

    assert case_decide_by_policy(case_id=case.pk, trigger="verdict") is None
    assert decision.decided_by == "moderator" and decision.moderator == alice
    label = decision.actions[0]
    assert (label["kind"], label["language"]) == ("authenticity_disputed", "ur") and label["text"]
    assert sent == [decision.pk]
    assert AuditEvent.objects.filter(case=case, action="case.decided_by_moderator", actor_user=alice).exists()
    case.refresh_from_db()
    assert case.status == "decided"


def test_moderator_actions_are_checked_field_by_field(alice):
    case = factories.case(countries=["US"])

    with pytest.raises(ValidationError) as error:
        case_decide_by_moderator(
            case_id=case.pk, user=alice, actions=[{"type": "label", "kind": "fake"}, {"type": "shout"}]
        )

    assert set(error.value.message_dict) == {"actions[0].kind", "actions[1].type"}
    with pytest.raises(ValidationError) as error:
        case_decide_by_moderator(case_id=case.pk, user=alice, actions=[], verdict_override="real")
    assert "verdict_override" in error.value.message_dict


def test_a_moderator_hold_accepts_the_platform_shaped_deadline(alice):
    case = factories.case(countries=["US"], language="en")
    deadline = timezone.now() + timedelta(minutes=45)

    decision = case_decide_by_moderator(
        case_id=case.pk,
        user=alice,
        actions=[{"type": "removal_hold", "review_deadline": deadline.isoformat()}],
    )

    assert abs((decision.review_deadline - deadline).total_seconds()) < 61
    assert decision.hold_reason == "moderator"  # the case page says a human placed it
    case.refresh_from_db()
    assert case.status == "decided"  # a human decided; the deadline sweep watches the hold


def test_confirming_a_silence_hold_keeps_the_label_and_lifts_the_hold(alice):
    now = timezone.now()
    factories.silence_window(code="SK", start=now - timedelta(hours=1), end=now + timedelta(hours=40))
    factories.person("Michal Šimečka", code="SK")
    case = factories.case(countries=["SK"], language="sk", subjects=["Michal Šimečka"])
    factories.verdict(case, "likely_synthetic")
    held = case_decide_by_policy(case_id=case.pk, trigger="verdict")

    confirmed = case_confirm_policy_decision(case_id=case.pk, user=alice, note="label is enough")

    assert confirmed.action_types() == ["label"]
    assert confirmed.supersedes_id == held.pk and confirmed.decided_by == "moderator"
    assert confirmed.review_deadline is None
    case.refresh_from_db()
    assert (case.status, case.priority) == ("decided", 0)
