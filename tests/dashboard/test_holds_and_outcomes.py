"""Holds end, humans decide for good, and decided cases reopen on new evidence.

- The Slovak silence hold ends at the window's end plus the post-silence review (default policy
  data), capped; when it lapses with nobody deciding, the platform gets what the policy names.
- The DSA statement gives the hold's real end, not its 30-minute review deadline.
- Remove (on the law of a country, or the terms), restore, label only: the case is Decided and
  the page says who decided and on what ground.
- A new report, or a fact-checker's, reopens a decided case and the page shows what is new.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from triage.audit.models import AuditEvent
from triage.decisions.engine import rules_validate
from triage.decisions.holds import hold_policy
from triage.decisions.lifecycle import hold_span
from triage.decisions.models import Decision, PolicyStatus, PolicyVersion
from triage.moderation.deadlines import deadlines_sweep
from triage.moderation.models import CaseReopening
from triage.moderation.outcomes import case_review_outcome
from triage.moderation.reopen import case_reopen_for_new_report
from triage.moderation.services import case_lock_take

from .conftest import login


def _current(case) -> Decision:
    return Decision.objects.get(case=case, is_current=True)


def test_a_silence_hold_ends_after_the_window_and_its_review(cases):
    held = _current(cases["slovak"])
    window_end = parse_datetime(held.phase_reason["window_end"])
    start, end = hold_span(decision=held)
    assert start == held.created_at
    assert end == window_end + timedelta(minutes=120)  # the default post-silence review
    assert end > held.review_deadline  # the hold outlives its review deadline


def test_the_cap_bounds_a_hold_whatever_the_window(cases):
    held = _current(cases["slovak"])
    held.phase_reason = {"country": "SK", "window_end": (timezone.now() + timedelta(days=30)).isoformat()}
    held.save(update_fields=["phase_reason"])
    _start, end = hold_span(decision=held)
    assert end == held.created_at + timedelta(hours=72)


def test_the_holds_policy_data_is_validated():
    base = {"schema": 1, "rules": [{"name": "r", "when": {}, "actions": [{"type": "no_action"}]}]}
    assert rules_validate({**base, "holds": {"max_hours": 48, "on_lapse": "keep"}}) == {}
    errors = rules_validate({**base, "holds": {"max_hours": 0, "on_lapse": "forget", "colour": 1}})
    assert set(errors) >= {"holds", "holds.max_hours", "holds.on_lapse"}
    assert hold_policy(None).on_lapse == "release_with_label"


def test_a_lapsed_hold_is_released_with_its_label(cases, django_capture_on_commit_callbacks):
    slovak = cases["slovak"]
    held = _current(slovak)
    _start, end = hold_span(decision=held)

    result = deadlines_sweep(now=end - timedelta(minutes=1))
    assert slovak.pk not in result.lapsed  # missed review deadline: escalated, hold kept
    assert _current(slovak).pk == held.pk

    result = deadlines_sweep(now=end + timedelta(seconds=1))
    assert slovak.pk in result.lapsed
    released = _current(slovak)
    assert released.supersedes_id == held.pk and released.decided_by == "policy"
    assert released.action_types() == ["label"] and released.actions[0]["kind"] == "likely_ai_generated"
    assert released.matched_rules == ["hold_lapsed"]
    assert any(n.startswith("hold lapsed at") for n in released.notes)
    event = AuditEvent.objects.get(case=slovak, action="case.hold_lapsed")
    assert event.inputs["on_lapse"] == "release_with_label"
    assert abs(parse_datetime(event.inputs["hold_ends_at"]) - end) < timedelta(milliseconds=1)
    # Once released, nothing lapses again.
    assert slovak.pk not in deadlines_sweep(now=end + timedelta(hours=1)).lapsed


def test_a_policy_that_keeps_holds_sets_a_new_deadline(cases):
    policy = PolicyVersion.objects.get(status=PolicyStatus.ACTIVE)
    PolicyVersion.objects.filter(pk=policy.pk).update(
        rules={**policy.rules, "holds": {"on_lapse": "keep", "keep_review_minutes": 60, "max_hours": 1}}
    )
    routine = cases["later_hold"]
    held = _current(routine)
    _start, end = hold_span(decision=held)
    assert end == held.created_at + timedelta(hours=1)
    later = end + timedelta(minutes=1)
    deadlines_sweep(now=later)
    kept = _current(routine)
    assert kept.supersedes_id == held.pk and "removal_hold" in kept.action_types()
    assert kept.review_deadline == later + timedelta(minutes=60)
    # The kept hold starts a new life from the lapse.
    assert hold_span(decision=kept) == (kept.created_at, kept.created_at + timedelta(hours=1))


def test_the_statement_of_reasons_gives_the_holds_real_end(cases):
    from integrations.transparency.services import statements_for_decision

    held = _current(cases["slovak"])
    _start, end = hold_span(decision=held)
    (statement,) = statements_for_decision(decision_id=held.pk)
    assert statement.valid, statement.errors
    assert statement.statement["end_date_visibility_restriction"] == end.date().isoformat()


@pytest.mark.parametrize(
    ("ground", "country", "sor_ground"),
    [
        ("law", "SK", "DECISION_GROUND_ILLEGAL_CONTENT"),
        ("terms_of_service", "", "DECISION_GROUND_INCOMPATIBLE_CONTENT"),
    ],
)
def test_alice_removes_for_good_on_a_ground(client, alice, cases, ground, country, sor_ground):
    from integrations.transparency.services import statements_for_decision

    slovak = cases["slovak"]
    login(client, alice)
    client.post(f"/cases/{slovak.pk}/take/")
    response = client.post(
        f"/cases/{slovak.pk}/outcome/",
        {"outcome": "remove", "ground": ground, "country": country, "legal_reference": "Electoral Act s. 16"},
    )
    assert response.status_code == 302
    removed = _current(slovak)
    assert removed.decided_by == "moderator" and removed.moderator == alice
    assert removed.actions[0]["type"] == "remove" and removed.actions[0]["ground"] == ground
    slovak.refresh_from_db()
    assert slovak.status == "decided"
    page = client.get(f"/cases/{slovak.pk}/").content.decode()
    assert "Decided" in page and "(alice)" in page
    assert ("the law of SK" if ground == "law" else "terms of service") in page
    (statement,) = statements_for_decision(decision_id=removed.pk)
    assert statement.valid, statement.errors
    assert statement.statement["decision_ground"] == sor_ground
    assert statement.statement["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]


def test_removal_under_the_law_needs_the_country(client, alice, cases):
    slovak = cases["slovak"]
    login(client, alice)
    client.post(f"/cases/{slovak.pk}/take/")
    response = client.post(f"/cases/{slovak.pk}/outcome/", {"outcome": "remove", "ground": "law"})
    assert response.status_code == 400
    assert "Name the country whose law applies" in response.content.decode()


def test_restore_releases_the_hold_and_keeps_or_drops_the_label(alice, cases):
    slovak = cases["slovak"]
    case_lock_take(case_id=slovak.pk, user=alice)
    kept = case_review_outcome(case_id=slovak.pk, user=alice, outcome="restore", keep_label=True)
    assert kept.action_types() == ["label"]
    case_lock_take(case_id=slovak.pk, user=alice)
    dropped = case_review_outcome(case_id=slovak.pk, user=alice, outcome="restore", keep_label=False)
    assert dropped.action_types() == ["no_action"]
    slovak.refresh_from_db()
    assert slovak.status == "decided"


def test_label_only_in_an_overridden_language(alice, cases):
    routine = cases["routine"]
    case_lock_take(case_id=routine.pk, user=alice)
    labelled = case_review_outcome(
        case_id=routine.pk, user=alice, outcome="label_only", label_kind="likely_ai_generated", language="sk"
    )
    assert labelled.action_types() == ["label"]
    assert labelled.actions[0]["language"] == "sk" and labelled.actions[0]["text"]
    with pytest.raises(ValidationError):
        case_lock_take(case_id=routine.pk, user=alice)
        case_review_outcome(case_id=routine.pk, user=alice, outcome="label_only", label_kind="nonsense")


def test_a_decided_case_reopens_on_a_new_report_and_shows_what_is_new(client, alice, cases, platform):
    from triage.models import Submission, SubmissionMedia

    slovak = cases["slovak"]
    case_lock_take(case_id=slovak.pk, user=alice)
    decided = case_review_outcome(case_id=slovak.pk, user=alice, outcome="restore", keep_label=True)
    # Nothing new yet: nothing reopens.
    assert case_reopen_for_new_report(case_id=slovak.pk, media_item_id=slovak.media_item_id) is None

    report = Submission.objects.create(
        platform=platform, content_id="post-sk-factcheck", report_source="fact_checker",
        report_reason="election_misinformation", audience_countries=["SK"], case=slovak, state="processed",
    )  # fmt: skip
    SubmissionMedia.objects.create(
        submission=report, position=0, case=slovak, state="stored", media_item=slovak.media_item,
        fetched_at=timezone.now(),
    )  # fmt: skip
    reopened = case_reopen_for_new_report(case_id=slovak.pk, media_item_id=slovak.media_item_id)
    assert reopened.reason == "fact_check" and reopened.since_decision_id == decided.pk
    slovak.refresh_from_db()
    assert slovak.status == "awaiting_review"
    assert _current(slovak).pk == decided.pk  # the decision stands until a human decides again
    assert AuditEvent.objects.filter(case=slovak, action="case.reopened").exists()

    login(client, alice)
    page = client.get(f"/cases/{slovak.pk}/").content.decode()
    assert "New since the last decision" in page and "fact-checker" in page
    # A human decides again: nothing is "new" any more.
    case_lock_take(case_id=slovak.pk, user=alice)
    case_review_outcome(case_id=slovak.pk, user=alice, outcome="restore", keep_label=True)
    assert "New since the last decision" not in client.get(f"/cases/{slovak.pk}/").content.decode()
    assert CaseReopening.objects.filter(case=slovak).count() == 1


def test_a_new_bank_match_reopens_a_decided_case(alice, cases):
    from triage.evidence.models import CheckResult, CheckRun, Verdict
    from triage.signals import verdict_fused

    routine = cases["routine"]
    case_lock_take(case_id=routine.pk, user=alice)
    decided = case_review_outcome(case_id=routine.pk, user=alice, outcome="restore", keep_label=True)
    run = CheckRun.objects.create(media_item=routine.media_item, fused_at=timezone.now())
    match = CheckResult.objects.create(
        media_item=routine.media_item, kind="fingerprint", version="2", state="done", label="synthetic",
        evidence={"matches": [{"bank": "factcheck-known-fakes", "purpose": "known_synthetic",
                               "distance": 3}]},
    )  # fmt: skip
    run.results.add(match)
    verdict = Verdict.objects.create(
        run=run, media_item=routine.media_item, label="likely_synthetic", confidence=0.95, reasons=["bank"]
    )

    verdict_fused.send(sender=Verdict, verdict_id=verdict.pk, media_item_id=routine.media_item_id)

    reopening = CaseReopening.objects.get(case=routine)
    assert reopening.reason == "bank_match" and reopening.since_decision_id == decided.pk
    assert reopening.details["banks"] == ["factcheck-known-fakes"]
    routine.refresh_from_db()
    assert routine.status == "awaiting_review"


@pytest.mark.parametrize("outcome", ["remove", "restore", "label_only"])
def test_a_human_outcome_tells_platforms_nothing_the_policy_said_about_its_own_rules(alice, cases, outcome):
    """Found walking the demo: a lead removed the US robocall on the terms of service and the
    platforms were still told "also applied: escalate_voter_suppression_likely", the escalation
    the removal had just closed. A human decision matched no rule: the policy's notes about its
    rules (and a moderator's confirmation of them) stay with the decision they described; what
    the notes say about the content itself (a creator's satire claim) still goes."""
    from .conftest import decision_make

    us = cases["american"]
    satire = "satire or parody claimed by the creator: recorded as a claim, not verified"
    decision_make(
        case=us,
        actions=[{"type": "label", "kind": "likely_ai_generated", "language": "en", "text": "May be AI."}],
        notes=[satire, "also applied: escalate_voter_suppression_likely", "confirmed by a moderator"],
    )
    case_lock_take(case_id=us.pk, user=alice)
    decided = case_review_outcome(
        case_id=us.pk, user=alice, outcome=outcome, ground="terms_of_service", keep_label=False,
        label_kind="likely_ai_generated",
    )  # fmt: skip
    assert decided.matched_rules == []
    assert satire in decided.notes
    assert not [n for n in decided.notes if n.startswith(("also applied", "no rule matched", "confirmed by"))]
