"""Re-deciding open cases with the active version: an operator's explicit, opt-in step after activation."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.policy import factories
from tests.policy.factories import STRICTER
from triage.audit.models import AuditEvent
from triage.decisions import tasks
from triage.decisions.models import PolicyVersion
from triage.decisions.services import (
    case_decide_by_moderator,
    case_decide_by_policy,
    cases_redecide_with_active_policy,
    policy_activate,
)
from triage.models import Case

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("default_policy", "decision_tasks_inline", "redecide_tasks_inline"),
]


@pytest.fixture
def redecide_tasks_inline(monkeypatch, django_capture_on_commit_callbacks):
    """Run the re-decision batches in the test's process once the request commits, as a worker would."""
    task = tasks.cases_redecide_task
    monkeypatch.setattr(task, "delay", lambda *args: task.apply(args=args))

    def committed(**kwargs):
        return django_capture_on_commit_callbacks(execute=True)

    return committed


def decided_case(label: str):
    case = factories.case(countries=["US"], language="en")
    factories.verdict(case, label)
    case_decide_by_policy(case_id=case.pk, trigger="verdict")
    return case


def stricter_active(default_policy) -> PolicyVersion:
    draft = PolicyVersion.objects.create(version=default_policy.version + 1, rules=STRICTER)
    return policy_activate(policy_version_id=draft.pk)


def current(case):
    return case.decisions.get(is_current=True)


@pytest.fixture
def operator(db):
    return get_user_model().objects.create_superuser("olga", "olga@example.org", "pw-olga-123")


def test_activation_alone_leaves_open_cases_on_the_old_version(default_policy):
    likely = decided_case("likely_synthetic")

    stricter_active(default_policy)

    assert current(likely).policy_version == default_policy


def test_a_requested_redecision_applies_the_stricter_version_to_an_open_case(
    default_policy, redecide_tasks_inline, operator
):
    likely = decided_case("likely_synthetic")
    stricter = stricter_active(default_policy)

    with redecide_tasks_inline():
        queued = cases_redecide_with_active_policy(user=operator)

    decision = current(likely)
    assert queued == 1
    assert decision.policy_version == stricter
    assert decision.matched_rules == ["hold_everything_likely"]
    assert [a["type"] for a in decision.actions] == ["removal_hold"]
    assert likely.decisions.count() == 2
    audit = AuditEvent.objects.get(action="policy.redecide_requested")
    assert (audit.actor_user, audit.policy_version, audit.outcome["cases"]) == (operator, stricter.version, 1)


def test_a_moderators_decision_stands_and_is_not_queued(default_policy, redecide_tasks_inline, operator):
    likely = decided_case("likely_synthetic")
    human = case_decide_by_moderator(case_id=likely.pk, user=operator, actions=[{"type": "no_action"}])
    stricter_active(default_policy)

    with redecide_tasks_inline():
        queued = cases_redecide_with_active_policy()

    assert queued == 0
    assert current(likely) == human


def test_a_merged_case_is_not_touched(default_policy, redecide_tasks_inline):
    survivor = decided_case("no_signal")
    merged = decided_case("likely_synthetic")
    Case.objects.filter(pk=merged.pk).update(merged_into=survivor, status="merged")
    stricter_active(default_policy)

    with redecide_tasks_inline():
        queued = cases_redecide_with_active_policy()

    assert queued == 1  # the survivor only
    assert merged.decisions.count() == 1
    assert current(merged).policy_version == default_policy


def test_an_unchanged_outcome_writes_no_new_decision(default_policy, redecide_tasks_inline):
    quiet = decided_case("no_signal")  # no action under both versions
    before = current(quiet)
    stricter_active(default_policy)

    with redecide_tasks_inline():
        cases_redecide_with_active_policy()

    assert quiet.decisions.count() == 1 and current(quiet) == before


def test_a_redelivered_batch_writes_nothing_more(default_policy, redecide_tasks_inline):
    likely = decided_case("likely_synthetic")
    stricter_active(default_policy)
    with redecide_tasks_inline():
        cases_redecide_with_active_policy()

    tasks.cases_redecide_task.apply(args=([likely.pk],))

    assert likely.decisions.count() == 2


def test_one_case_failing_does_not_stop_the_batch(default_policy, monkeypatch, caplog):
    # cases_redecide's batch looks case_decide_by_policy up in redeciding.py, so the test patches
    # it there (patching the package's re-export would leave the batch calling the real one).
    from triage.decisions.services import redeciding

    first, second = decided_case("likely_synthetic"), decided_case("likely_synthetic")
    stricter_active(default_policy)
    real = redeciding.case_decide_by_policy

    def flaky(*, case_id, **kwargs):
        if case_id == first.pk:
            raise RuntimeError("boom")
        return real(case_id=case_id, **kwargs)

    monkeypatch.setattr(redeciding, "case_decide_by_policy", flaky)

    decided = redeciding.cases_redecide(case_ids=[first.pk, second.pk])

    assert decided == 1
    assert current(second).matched_rules == ["hold_everything_likely"]
    assert f"re-deciding case {first.pk}" in caplog.text


# Admin and command ------------------------------------------------------------------------------


def test_the_admin_action_queues_the_open_cases_of_the_active_version(
    client, operator, default_policy, redecide_tasks_inline
):
    likely = decided_case("likely_synthetic")
    stricter = stricter_active(default_policy)
    client.force_login(operator)

    with redecide_tasks_inline():
        response = client.post(
            "/admin/policy/policyversion/",
            {"action": "redecide_open_cases", "_selected_action": [stricter.pk]},
            follow=True,
        )

    assert f"1 open cases queued for re-decision with policy v{stricter.version}" in response.content.decode()
    assert current(likely).policy_version == stricter


def test_the_admin_action_is_refused_for_a_version_that_is_not_active(client, operator, default_policy):
    likely = decided_case("likely_synthetic")
    draft = PolicyVersion.objects.create(version=default_policy.version + 1, rules=STRICTER)
    client.force_login(operator)

    response = client.post(
        "/admin/policy/policyversion/",
        {"action": "redecide_open_cases", "_selected_action": [draft.pk]},
        follow=True,
    )

    assert "Select the active version" in response.content.decode()
    assert not AuditEvent.objects.filter(action="policy.redecide_requested").exists()
    assert likely.decisions.count() == 1


def test_the_admin_action_is_refused_to_a_user_who_may_only_view_policy_versions(
    client, policy_viewer, default_policy
):

    listing = client.get("/admin/policy/policyversion/")
    client.post(
        "/admin/policy/policyversion/",
        {"action": "redecide_open_cases", "_selected_action": [default_policy.pk]},
    )

    assert listing.status_code == 200
    assert b"redecide_open_cases" not in listing.content
    assert not AuditEvent.objects.filter(action="policy.redecide_requested").exists()


def test_the_command_prints_how_many_cases_were_queued(capsys, default_policy, redecide_tasks_inline):
    decided_case("likely_synthetic")
    decided_case("no_signal")
    stricter_active(default_policy)

    with redecide_tasks_inline():
        call_command("policy_redecide")

    assert "2 cases queued for re-decision with the active policy." in capsys.readouterr().out
