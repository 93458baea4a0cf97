"""Decisions the moderation lifecycle writes: deadline extensions, lapsed holds, final outcomes.

Each one supersedes the case's current decision through the same writer as the policy's and the
moderators' decisions (`_decision_write` in services/deciding.py: case row lock held, audit in the
same transaction, `decision_made` on commit, so callbacks and statements follow as usual).

- `case_deadline_extend`: a lead moves the review deadline (and the hold's) with a reason.
- `case_hold_lapse`: a hold reached its longest life with no human decision; the platform gets
  what the policy's `holds.on_lapse` names (triage/decisions/holds.py).
- `case_outcome_remove`, `case_outcome_restore`, `case_outcome_label_only`: a human's final
  outcome; the case is Decided.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from triage.audit.models import ActorKind
from triage.audit.services import audit_record
from triage.decisions.labels.kinds import LabelKind
from triage.models import Case, CaseStatus

from .holds import LAPSE_RULE, _window_end, hold_end, hold_policy
from .inputs import case_policy_inputs
from .models import DecidedBy, Decision
from .services import Outcome, _decision_summary, _decision_write, _label_action, _policy_active

GROUND_LAW = "law"
GROUND_TERMS = "terms_of_service"
REMOVAL_GROUNDS = (GROUND_LAW, GROUND_TERMS)
MAX_EXTENSION_MINUTES = 60 * 24 * 14


def _iso(value: datetime) -> str:
    return value.isoformat()


def _case_locked(case_id: int) -> Case:
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None or case.merged_into_id is not None:
        raise ValidationError({"case_id": ["No such live case."]})
    return case


def _current(case: Case) -> Decision | None:
    return case.decisions.select_related("policy_version").filter(is_current=True).first()


def _has_hold(decision: Decision) -> bool:
    return "removal_hold" in decision.action_types()


def hold_span(*, decision: Decision) -> tuple[datetime, datetime] | None:
    """Return (start, end) of the hold a decision carries, or None if it holds nothing.

    The hold began with the earliest decision of the unbroken run of holding decisions this one
    supersedes (a hold kept on lapse starts a new run); its end follows the policy's `holds`
    settings of the version that placed it, from the latest silence window end on that run.
    """
    if not _has_hold(decision):
        return None
    start = decision
    window_end = _window_end(decision.phase_reason)
    node = decision
    while LAPSE_RULE not in (node.matched_rules or []) and node.supersedes_id:
        previous = Decision.objects.filter(pk=node.supersedes_id).first()
        if previous is None or not _has_hold(previous):
            break
        node = start = previous
        end = _window_end(previous.phase_reason)
        if end is not None and (window_end is None or end > window_end):
            window_end = end
    policy_version = start.policy_version or decision.policy_version
    policy = hold_policy(policy_version.rules if policy_version else None)
    return start.created_at, hold_end(started_at=start.created_at, window_end=window_end, policy=policy)


def _write(*, case, outcome: Outcome, previous, decided_by, user=None, status, policy=None) -> Decision:
    return _decision_write(
        case=case,
        outcome=outcome,
        decided_by=decided_by,
        policy=policy if policy is not None else (previous.policy_version if previous else _policy_active()),
        moderator=user,
        previous=previous,
        status=status,
    )


def _with_deadline(actions: list[dict[str, Any]], deadline: datetime) -> list[dict[str, Any]]:
    out = []
    for action in actions:
        action = dict(action)
        if action.get("type") == "removal_hold":
            action["review_deadline"] = _iso(deadline)
        out.append(action)
    return out


@transaction.atomic
def case_deadline_extend(
    *, case_id: int, user, minutes: int, reason: str, at: datetime | None = None
) -> Decision:
    """Move the current decision's review deadline to `minutes` from now (a lead's step).

    The new decision keeps everything else (who decided, actions, the hold); the platform gets the
    new deadline. The reason is required and audited (`case.review_deadline_extended`).
    """
    at = at or timezone.now()
    errors: dict[str, list[str]] = {}
    if not isinstance(minutes, int) or not 1 <= minutes <= MAX_EXTENSION_MINUTES:
        errors["minutes"] = [f"Whole minutes, 1 to {MAX_EXTENSION_MINUTES}."]
    if not (reason or "").strip():
        errors["reason"] = ["Say why the deadline moves."]
    if errors:
        raise ValidationError(errors)
    case = _case_locked(case_id)
    previous = _current(case)
    if previous is None or previous.review_deadline is None:
        raise ValidationError({"case_id": ["The case has no review deadline to extend."]})
    deadline = at + timedelta(minutes=minutes)
    outcome = Outcome(
        phase=previous.phase,
        phase_reason=previous.phase_reason,
        verdict=previous.verdict,
        actions=_with_deadline(previous.actions, deadline),
        notes=list(previous.notes),
        review_deadline=deadline,
        hold_reason=previous.hold_reason,
        needs_review=True,
        matched_rules=list(previous.matched_rules),
    )
    decision = _write(
        case=case,
        outcome=outcome,
        previous=previous,
        decided_by=previous.decided_by,
        user=previous.moderator,
        status=case.status if case.status != CaseStatus.DECIDED else CaseStatus.AWAITING_REVIEW,
    )
    audit_record(
        action="case.review_deadline_extended",
        actor_kind=ActorKind.MODERATOR,
        actor_user=user,
        case=case,
        inputs={"reason": reason.strip(), "minutes": minutes, "previous_deadline": previous.review_deadline},
        outcome=_decision_summary(decision),
    )
    return decision


@transaction.atomic
def case_hold_lapse(*, case_id: int, at: datetime | None = None) -> Decision | None:
    """End a hold that reached its longest life with no human decision; None if none is due.

    With `on_lapse: "release_with_label"` the hold goes and the labels stay (an "unverified"
    label is added when there was none: released content is never unexplained); with "keep" the
    hold stays with a new review deadline and starts a new life. Audited as `case.hold_lapsed`.
    """
    at = at or timezone.now()
    case = _case_locked(case_id)
    previous = _current(case)
    if previous is None or previous.decided_by != DecidedBy.POLICY:
        return None  # a human decided: their hold is theirs (its deadline still escalates)
    span = hold_span(decision=previous)
    if span is None or span[1] > at:
        return None
    started_at, ends_at = span
    version = previous.policy_version or _policy_active()
    policy = hold_policy(version.rules if version else None)
    notes = [n for n in previous.notes if not n.startswith("hold lapsed")]
    if policy.on_lapse == "keep":
        deadline = at + timedelta(minutes=policy.keep_review_minutes)
        actions = _with_deadline(previous.actions, deadline)
        notes.append(f"hold lapsed at {_iso(ends_at)}: kept by the policy, review by {_iso(deadline)}")
        hold_reason, status, needs_review = previous.hold_reason, CaseStatus.AWAITING_REVIEW, True
    else:
        deadline = None
        actions = [a for a in previous.actions if a.get("type") != "removal_hold"]
        if not any(a.get("type") == "label" for a in actions):
            inputs = case_policy_inputs(case=case, at=at, trigger="hold_lapsed")
            actions.insert(0, _label_action(kind=LabelKind.UNVERIFIED, inputs=inputs, notes=notes))
        notes.append(f"hold lapsed at {_iso(ends_at)}: released with the label")
        hold_reason, status, needs_review = "", CaseStatus.AWAITING_REVIEW, False
    outcome = Outcome(
        phase=previous.phase,
        phase_reason=previous.phase_reason,
        verdict=previous.verdict,
        actions=actions,
        notes=notes,
        review_deadline=deadline,
        hold_reason=hold_reason,
        needs_review=needs_review,
        matched_rules=[LAPSE_RULE],
    )
    decision = _write(
        case=case,
        outcome=outcome,
        previous=previous,
        decided_by=DecidedBy.POLICY,
        status=status,
        policy=version,
    )
    audit_record(
        action="case.hold_lapsed",
        actor_kind=ActorKind.POLICY,
        case=case,
        inputs={
            "hold_started_at": started_at,
            "hold_ends_at": ends_at,
            "on_lapse": policy.on_lapse,
            "max_hours": policy.max_hours,
            "post_silence_review_minutes": policy.post_silence_review_minutes,
            "lapsed_decision_id": str(previous.decision_id),
        },
        outcome=_decision_summary(decision),
        policy_version=version.version if version else None,
    )
    return decision


# Final human outcomes --------------------------------------------------------------------------


def _human_outcome(*, previous: Decision | None, case: Case, actions, notes, at) -> Outcome:
    if previous is not None:
        phase, phase_reason, verdict = previous.phase, previous.phase_reason, previous.verdict
    else:
        inputs = case_policy_inputs(case=case, at=at, trigger="moderator")
        phase, phase_reason, verdict = inputs.phase, inputs.phase_reason, None
    return Outcome(
        phase=phase,
        phase_reason=phase_reason,
        verdict=verdict,
        actions=actions,
        notes=notes,
        review_deadline=None,
        hold_reason="",
        needs_review=False,
        matched_rules=[],
    )


# Notes that describe the decision they were written on, not the content: the previous moderator's
# shared note, a lapse, the policy's rules ("also applied: …" names rules a human outcome did not
# apply) and a moderator's confirmation of them. A human outcome carries the rest (satire claims,
# territory, a disclosure's mismatch), which stay true of the content.
_DECISION_OWN_NOTES = (
    "moderator:",
    "hold lapsed",
    "also applied:",
    "no rule matched",
    "confirmed by a moderator",
)


def _platform_notes(previous: Decision | None, shared_note: str) -> list[str]:
    notes = [n for n in (previous.notes if previous else []) if not n.startswith(_DECISION_OWN_NOTES)]
    if shared_note:
        notes.append(f"moderator: {shared_note}")
    return notes


def _human_write(*, case, previous, outcome, user, kind: str, inputs: dict) -> Decision:
    decision = _write(
        case=case,
        outcome=outcome,
        previous=previous,
        decided_by=DecidedBy.MODERATOR,
        user=user,
        status=CaseStatus.DECIDED,
        policy=_policy_active(),
    )
    audit_record(
        action="case.outcome_decided",
        actor_kind=ActorKind.MODERATOR,
        actor_user=user,
        case=case,
        inputs={"outcome": kind, **inputs},
        outcome=_decision_summary(decision),
        policy_version=decision.policy_version.version if decision.policy_version_id else None,
    )
    return decision


@transaction.atomic
def case_outcome_remove(
    *, case_id: int, user, ground: str, country: str = "", legal_reference: str = "", shared_note: str = ""
) -> Decision:
    """Remove the content for good, on the law of a country or on the terms of service."""
    errors: dict[str, list[str]] = {}
    if ground not in REMOVAL_GROUNDS:
        errors["ground"] = [f"One of: {', '.join(REMOVAL_GROUNDS)}."]
    country = (country or "").strip().upper()
    if ground == GROUND_LAW and not (len(country) == 2 and country.isalpha()):
        errors["country"] = ["Removal under the law names the country (two letters, e.g. SK)."]
    if len(legal_reference or "") > 500:
        errors["legal_reference"] = ["At most 500 characters."]
    if errors:
        raise ValidationError(errors)
    at = timezone.now()
    case = _case_locked(case_id)
    previous = _current(case)
    action: dict[str, Any] = {"type": "remove", "ground": ground}
    if ground == GROUND_LAW:
        action["country"] = country
        if legal_reference:
            action["legal_reference"] = legal_reference.strip()
    outcome = _human_outcome(
        previous=previous, case=case, actions=[action], notes=_platform_notes(previous, shared_note), at=at
    )
    return _human_write(
        case=case, previous=previous, outcome=outcome, user=user, kind="remove",
        inputs={"ground": ground, "country": country, "legal_reference": legal_reference},
    )  # fmt: skip


@transaction.atomic
def case_outcome_restore(*, case_id: int, user, keep_label: bool, shared_note: str = "") -> Decision:
    """Restore the content: release any hold (and removal, distribution limit), keep or drop the label."""
    at = timezone.now()
    case = _case_locked(case_id)
    previous = _current(case)
    kept = (
        [a for a in (previous.actions if previous else []) if a.get("type") == "label"] if keep_label else []
    )
    actions = kept or [{"type": "no_action"}]
    outcome = _human_outcome(
        previous=previous, case=case, actions=actions, notes=_platform_notes(previous, shared_note), at=at
    )
    return _human_write(
        case=case, previous=previous, outcome=outcome, user=user, kind="restore",
        inputs={"keep_label": keep_label},
    )  # fmt: skip


@transaction.atomic
def case_outcome_label_only(
    *, case_id: int, user, kind: str, language: str = "", shared_note: str = ""
) -> Decision:
    """Label only: no hold, no removal; the label in the content's language (or `language`)."""
    if kind not in LabelKind.values:
        raise ValidationError({"kind": [f"One of: {', '.join(LabelKind.values)}."]})
    at = timezone.now()
    case = _case_locked(case_id)
    previous = _current(case)
    inputs = case_policy_inputs(case=case, at=at, trigger="moderator")
    if language:
        inputs.content_language = language
    notes = _platform_notes(previous, shared_note)
    action = _label_action(kind=kind, inputs=inputs, notes=notes)
    outcome = _human_outcome(previous=previous, case=case, actions=[action], notes=notes, at=at)
    return _human_write(
        case=case, previous=previous, outcome=outcome, user=user, kind="label_only",
        inputs={"kind": kind, "language": language},
    )  # fmt: skip
