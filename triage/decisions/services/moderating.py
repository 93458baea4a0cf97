"""Moderators' decisions: a human decides a case differently, or confirms the policy's decision.

Both are taken holding the case's row lock and written like the policy's (deciding.py); a
moderator's decision stands until a human changes it (`case_decide_by_policy` leaves it alone).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from triage.audit.models import ActorKind
from triage.audit.services import audit_record
from triage.evidence.models import VerdictLabel
from triage.models import Case, CaseStatus

from ..engine import ACTION_TYPES, rules_validate
from ..inputs import PolicyInputs, case_policy_inputs
from ..models import DecidedBy, Decision
from .deciding import (
    Outcome,
    _decision_summary,
    _decision_write,
    _policy_active,
    _render_actions,
    _verdict_body,
)

MODERATOR_REVIEW_MINUTES = 240


def _moderator_actions(
    *, actions: list[dict[str, Any]], inputs: PolicyInputs, at: datetime, notes: list[str]
) -> tuple[list[dict[str, Any]], datetime | None, str]:
    errors: dict[str, list[str]] = {}
    raw: list[dict[str, Any]] = []
    for i, spec in enumerate(actions or []):
        kind = spec.get("type") if isinstance(spec, dict) else None
        if kind not in ACTION_TYPES:
            errors.setdefault(f"actions[{i}].type", []).append(f"One of: {', '.join(ACTION_TYPES)}.")
            continue
        spec = dict(spec)
        if kind == "removal_hold":
            # Accept the deadline as an instant (the platform-facing shape) or as minutes from now.
            given = spec.pop("review_deadline", None)
            if given:
                deadline = parse_datetime(given) if isinstance(given, str) else given
                if not isinstance(deadline, datetime) or deadline.tzinfo is None or deadline <= at:
                    errors.setdefault(f"actions[{i}].review_deadline", []).append(
                        "A review deadline is a future ISO 8601 instant with a time zone."
                    )
                    continue
                spec["review_deadline_minutes"] = max(1, math.ceil((deadline - at).total_seconds() / 60))
            spec.setdefault("review_deadline_minutes", MODERATOR_REVIEW_MINUTES)
            spec["hold_reason"] = "policy"
        raw.append(spec)
    if not raw and not errors:
        errors["actions"] = ["Give at least one action (no_action to do nothing)."]
    # Reuse the rule validator for the shapes (label kinds, escalation reasons, minutes).
    check = rules_validate({"schema": 1, "rules": [{"name": "moderator", "when": {}, "actions": raw}]})
    for key, messages in check.items():
        errors.setdefault(key.replace("rules[0].", ""), []).extend(messages)
    if errors:
        raise ValidationError(errors)
    active = _policy_active()
    rendered, deadline, hold_reason, _review = _render_actions(
        raw=raw,
        inputs=inputs,
        at=at,
        review_minutes=None,
        notes=notes,
        drafts=(active.rules or {}).get("label_drafts") if active else None,
    )
    return rendered, deadline, hold_reason


@transaction.atomic
def case_decide_by_moderator(
    *,
    case_id: int,
    user,
    actions: list[dict],
    note: str = "",
    verdict_override: str | None = None,
    share_note: bool = False,
    language: str = "",
) -> Decision:
    """Record a human decision on a case (label texts rendered in the content's language).

    `actions` use the rule shapes: {"type": "label", "kind": …}, {"type": "removal_hold",
    "review_deadline_minutes": 60}, {"type": "escalate", "reason": …}, {"type":
    "reduce_distribution"}, {"type": "no_action"}. Raise ValidationError with field-keyed messages.
    """

    at = timezone.now()
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None or case.merged_into_id is not None:
        raise ValidationError({"case_id": ["No such live case."]})
    if verdict_override is not None and verdict_override not in VerdictLabel.values:
        raise ValidationError({"verdict_override": [f"One of: {', '.join(VerdictLabel.values)}."]})
    inputs = case_policy_inputs(case=case, at=at, trigger="moderator")
    if language:  # the moderator's override of the content's language, for the label
        inputs.content_language = language
    notes = list(inputs.notes)
    rendered, deadline, hold_reason = _moderator_actions(actions=actions, inputs=inputs, at=at, notes=notes)
    hold_reason = "moderator" if hold_reason else ""  # the page says who placed it
    if note and share_note:  # a note is internal unless the moderator marked it for platforms
        notes.append(f"moderator: {note}")
    verdict = _verdict_body(inputs)
    if verdict_override:
        verdict = {"label": verdict_override, "confidence": None, "reasons": ["set by a moderator"]}
    outcome = Outcome(
        phase=inputs.phase,
        phase_reason=inputs.phase_reason,
        verdict=verdict,
        actions=rendered,
        notes=notes,
        review_deadline=deadline,
        hold_reason=hold_reason,
        needs_review=False,
    )
    previous = case.decisions.filter(is_current=True).first()
    # A human decided: the case is Decided (a hold they placed still has its review deadline,
    # which the deadline sweep escalates if nobody looks again in time).
    status = CaseStatus.DECIDED
    decision = _decision_write(
        case=case,
        outcome=outcome,
        decided_by=DecidedBy.MODERATOR,
        policy=_policy_active(),
        moderator=user,
        previous=previous,
        status=status,
    )
    audit_record(
        action="case.decided_by_moderator",
        actor_kind=ActorKind.MODERATOR,
        actor_user=user,
        case=case,
        inputs={"actions": actions, "note": note, "verdict_override": verdict_override, **inputs.as_dict()},
        outcome=_decision_summary(decision),
        policy_version=decision.policy_version.version if decision.policy_version_id else None,
    )
    return decision


@transaction.atomic
def case_confirm_policy_decision(*, case_id: int, user, note: str = "", share_note: bool = False) -> Decision:
    """A moderator approves the current policy decision as it is; holds and reviews are released.

    The new decision keeps the policy's labels, escalations and distribution limits, drops the
    removal hold (a human has now decided), and is decided_by "moderator".
    """
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None or case.merged_into_id is not None:
        raise ValidationError({"case_id": ["No such live case."]})
    previous = case.decisions.filter(is_current=True).first()
    if previous is None:
        raise ValidationError({"case_id": ["The case has no decision to confirm yet."]})
    actions = [a for a in previous.actions if a.get("type") != "removal_hold"] or [{"type": "no_action"}]
    notes = [n for n in previous.notes if not n.startswith("moderator:")]
    notes.append(f"confirmed by a moderator{': ' + note if note and share_note else ''}")
    outcome = Outcome(
        phase=previous.phase,
        phase_reason=previous.phase_reason,
        verdict=previous.verdict,
        actions=actions,
        notes=notes,
        review_deadline=None,
        hold_reason="",
        needs_review=False,
        matched_rules=list(previous.matched_rules),
    )
    decision = _decision_write(
        case=case,
        outcome=outcome,
        decided_by=DecidedBy.MODERATOR,
        policy=previous.policy_version,
        moderator=user,
        previous=previous,
        status=CaseStatus.DECIDED,
    )
    audit_record(
        action="case.policy_decision_confirmed",
        actor_kind=ActorKind.MODERATOR,
        actor_user=user,
        case=case,
        inputs={"confirmed_decision_id": str(previous.decision_id), "note": note},
        outcome=_decision_summary(decision),
        policy_version=previous.policy_version.version if previous.policy_version_id else None,
    )
    return decision
