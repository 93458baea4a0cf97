"""Deciding a case by policy: the outcome of the rules, its rendered actions, the decision's write.

Every decision is taken holding the case's row lock (select_for_update), so two tasks deciding
the same case at once serialise, and the second finds the first's decision current. A decision
is only written when the outcome changed (idempotent re-evaluation), records itself in the audit
log in the same transaction, and sends `decision_made` on commit. A moderator's decision
(moderating.py) and the moderator paths of lifecycle.py write through the same `_decision_write`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from triage.audit.models import ActorKind
from triage.audit.services import audit_record
from triage.decisions.labels import audio_disclosure_render, label_render
from triage.decisions.labels.grammar import names_for_speech
from triage.models import Case, CaseStatus
from triage.signals import decision_made

from ..engine import rules_evaluate
from ..inputs import PolicyInputs, case_policy_inputs, memoized
from ..language import names_in_script
from ..models import DecidedBy, Decision, PolicyStatus, PolicyVersion

logger = logging.getLogger(__name__)

# Case.priority tiers (higher first); within a tier an earlier review deadline ranks higher.
TIER_SILENCE_HOLD = 20
TIER_HOLD = 15
TIER_REVIEW = 10
TIER_ESCALATED = 5
_TIER = 10**8
_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


# Outcome ---------------------------------------------------------------------------------------


@dataclass
class Outcome:
    phase: str
    phase_reason: dict[str, Any]
    verdict: dict[str, Any] | None
    actions: list[dict[str, Any]]
    notes: list[str]
    review_deadline: datetime | None
    hold_reason: str
    needs_review: bool
    matched_rules: list[str] = field(default_factory=list)

    def signature(self) -> tuple:
        """What makes two outcomes "the same" (deadlines and rendered texts aside)."""
        return (
            self.phase,
            (self.verdict or {}).get("label"),
            tuple(_action_key(a) for a in self.actions),
            self.hold_reason,
            self.needs_review,
        )


def _action_key(action: dict[str, Any]) -> tuple:
    return (action.get("type"), action.get("kind", ""), action.get("language", ""), action.get("reason", ""))


def _decision_signature(decision: Decision) -> tuple:
    return (
        decision.phase,
        (decision.verdict or {}).get("label"),
        tuple(_action_key(a) for a in decision.actions),
        decision.hold_reason,
        decision.review_deadline is not None,
    )


def _label_action(
    *, kind: str, inputs: PolicyInputs, notes: list[str], drafts: dict | None = None
) -> dict[str, Any]:
    """Render a label in the content's language (plus a spoken script for audio and video).

    Names are written in the label's script when the registry has the alias; a fact-check label
    names the fact-checkers and links their review; `direction` tells platforms how to lay it out.
    """

    disclosure = (
        {"language": inputs.creator_disclosure_language} if inputs.creator_disclosure_language else None
    )
    subjects = names_in_script(inputs.public_figure_aliases, inputs.content_language) or inputs.public_figures
    fact_checked = inputs.fact_checked if kind == "disputed_by_fact_checkers" else None
    rendered = label_render(
        kind=kind,
        language=inputs.content_language,
        subjects=subjects,
        disclosure=disclosure,
        drafts=drafts,
        fact_checked=fact_checked,
    )
    action: dict[str, Any] = {
        "type": "label",
        "kind": rendered.kind,
        "language": rendered.language,
        "text": rendered.text,
        "direction": "rtl" if rendered.rtl else "ltr",
    }
    if fact_checked:
        action["fact_checkers"] = list(fact_checked["who"])
        if fact_checked.get("link"):
            action["link"] = fact_checked["link"]
    if inputs.media_type in ("audio", "video"):
        spoken = audio_disclosure_render(
            kind=kind,
            language=inputs.content_language,
            subjects=names_for_speech(subjects, rendered.language, inputs.public_figure_aliases),
            drafts=drafts,
        )
        action["audio_disclosure_script"] = spoken.text
        # The voice to speak it with (the script may fall back to English on its own).
        action["audio_disclosure_language"] = spoken.language
    if rendered.fallback:
        action["fallback"] = True
    if rendered.needs_native_review:
        action["needs_native_review"] = True
    for note in rendered.notes:
        if note not in notes:
            notes.append(note)
    return action


def _render_actions(
    *,
    raw: list[dict[str, Any]],
    inputs: PolicyInputs,
    at: datetime,
    review_minutes: int | None,
    notes: list[str],
    drafts: dict | None = None,
) -> tuple[list[dict[str, Any]], datetime | None, str, bool]:
    """Turn rule actions into platform-facing actions; return (actions, deadline, hold_reason, review)."""
    actions: list[dict[str, Any]] = []
    deadline: datetime | None = None
    hold_reason = ""
    for spec in raw:
        kind = spec["type"]
        if kind == "label":
            actions.append(_label_action(kind=spec["kind"], inputs=inputs, notes=notes, drafts=drafts))
        elif kind == "removal_hold":
            deadline = at + timedelta(minutes=spec["review_deadline_minutes"])
            hold_reason = spec.get("hold_reason", "policy")
            window_end = parse_datetime((inputs.phase_reason or {}).get("window_end") or "")
            if hold_reason == "silence" and window_end is not None and at < window_end < deadline:
                # A human decides before the silence ends, not after (issue 11).
                deadline = window_end
            hold: dict[str, Any] = {"type": "removal_hold", "review_deadline": deadline.isoformat()}
            # A silence hold applies where the silence does (issue 11), unless the policy says global.
            territory = spec.get("territory", "silence_countries" if hold_reason != "policy" else "global")
            if territory == "silence_countries" and inputs.hold_countries:
                hold["countries"] = list(inputs.hold_countries)
            else:
                hold["global"] = True
            actions.append(hold)
        elif kind == "escalate":
            actions.append({"type": "escalate", "reason": spec["reason"]})
        else:
            actions.append({"type": kind})
    needs_review = deadline is not None or review_minutes is not None
    if deadline is None and review_minutes is not None:
        deadline = at + timedelta(minutes=review_minutes)
    # Holds first: a platform reading the list in order stops distribution before anything else.
    actions.sort(key=lambda a: 0 if a["type"] == "removal_hold" else 1)
    return actions, deadline, hold_reason, needs_review


def _priority(
    *,
    outcome_status: str,
    phase: str,
    hold_reason: str,
    has_hold: bool,
    escalated: bool,
    deadline: datetime | None,
) -> int:
    if has_hold and (phase == "silence" or hold_reason in ("silence", "post_silence")):
        tier = TIER_SILENCE_HOLD
    elif has_hold:
        tier = TIER_HOLD
    elif outcome_status == CaseStatus.AWAITING_REVIEW:
        tier = TIER_REVIEW
    elif escalated:
        tier = TIER_ESCALATED
    else:
        return 0
    urgency = 0
    if deadline is not None:
        minutes = int((deadline - _EPOCH).total_seconds() // 60)
        urgency = min(_TIER - 1, max(0, _TIER - 1 - minutes))  # stays inside its tier
    return tier * _TIER + urgency


def _policy_active() -> PolicyVersion | None:
    # Read once per batch inside `batch_memo()` (a window opening's re-evaluation).
    return memoized(("policy",), lambda: PolicyVersion.objects.filter(status=PolicyStatus.ACTIVE).first())


def outcome_for(*, rules: dict[str, Any], inputs: PolicyInputs, at: datetime) -> Outcome:
    """Evaluate `rules` on `inputs` and render the outcome (no writes)."""
    match = rules_evaluate(rules, inputs.as_dict())
    notes = list(inputs.notes)
    actions, deadline, hold_reason, needs_review = _render_actions(
        raw=match.actions,
        inputs=inputs,
        at=at,
        review_minutes=match.review_deadline_minutes,
        notes=notes,
        drafts=rules.get("label_drafts"),  # the policy's word on unreviewed translations
    )
    if match.rule is None:
        notes.append("no rule matched: no action")
    if match.also:
        notes.append(f"also applied: {', '.join(match.also)}")
    verdict = _verdict_body(inputs)
    return Outcome(
        phase=inputs.phase,
        phase_reason=inputs.phase_reason,
        verdict=verdict,
        actions=actions,
        notes=notes,
        review_deadline=deadline,
        hold_reason=hold_reason,
        needs_review=needs_review,
        matched_rules=match.rules,
    )


def _verdict_body(inputs: PolicyInputs) -> dict[str, Any] | None:
    """The decision's verdict: label, confidence, reasons, and (an extension) the fact-checks."""
    if inputs.verdict == "pending":
        return None
    return {
        "label": inputs.verdict,
        "confidence": inputs.verdict_confidence,
        "reasons": inputs.verdict_reasons,
        "fact_checks": inputs.fact_checks,
    }


def _case_status(*, outcome_needs_review: bool, verdict: str, only_no_action: bool) -> str:
    if outcome_needs_review:
        return CaseStatus.AWAITING_REVIEW
    if verdict == "pending" and only_no_action:
        return CaseStatus.CHECKING
    return CaseStatus.DECIDED


def _decision_write(
    *,
    case: Case,
    outcome: Outcome,
    decided_by: str,
    policy: PolicyVersion | None,
    moderator=None,
    previous: Decision | None,
    status: str,
) -> Decision:
    """Supersede `previous` with a new current decision and update the case. Hold the case lock."""
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    decision = Decision.objects.create(
        case=case,
        phase=outcome.phase,
        phase_reason=outcome.phase_reason,
        verdict=outcome.verdict,
        actions=outcome.actions,
        policy_version=policy,
        matched_rules=outcome.matched_rules,
        decided_by=decided_by,
        moderator=moderator,
        notes=outcome.notes,
        review_deadline=outcome.review_deadline,
        hold_reason=outcome.hold_reason,
        supersedes=previous,
    )
    types = decision.action_types()
    case.status = status
    case.priority = _priority(
        outcome_status=status,
        phase=outcome.phase,
        hold_reason=outcome.hold_reason,
        has_hold="removal_hold" in types,
        escalated="escalate" in types,
        deadline=outcome.review_deadline,
    )
    case.save(update_fields=["status", "priority", "updated_at"])
    decision_id = decision.pk
    transaction.on_commit(lambda: decision_made.send(sender=Decision, decision_id=decision_id))
    return decision


def _decision_summary(decision: Decision) -> dict[str, Any]:
    return {
        "decision_id": str(decision.decision_id),
        "actions": decision.actions,
        "phase": decision.phase,
        "review_deadline": decision.review_deadline,
        "hold_reason": decision.hold_reason,
        "notes": decision.notes,
    }


# Deciding --------------------------------------------------------------------------------------


@transaction.atomic
def case_decide_by_policy(*, case_id: int, trigger: str, at: datetime | None = None) -> Decision | None:
    """Evaluate the active policy for a case; return the new decision, or None if nothing changed.

    None also when the case is merged or has no media yet, when no policy is active, or when a
    moderator's decision is current (a human decision stands until a human changes it).
    """
    at = at or timezone.now()
    case = (
        Case.objects.select_for_update(of=("self",)).select_related("media_item").filter(pk=case_id).first()
    )
    if case is None or case.merged_into_id is not None or case.media_item_id is None:
        return None
    policy = _policy_active()
    if policy is None:
        logger.warning("no active policy: case %s not decided", case_id)
        return None
    previous = case.decisions.filter(is_current=True).first()
    if previous is not None and previous.decided_by == DecidedBy.MODERATOR:
        return None
    inputs = case_policy_inputs(
        case=case, at=at, trigger=trigger, previous_hold_reason=previous.hold_reason if previous else ""
    )
    outcome = outcome_for(rules=policy.rules, inputs=inputs, at=at)
    if previous is not None and _decision_signature(previous) == outcome.signature():
        return None
    status = _case_status(
        outcome_needs_review=outcome.needs_review,
        verdict=inputs.verdict,
        only_no_action=[a["type"] for a in outcome.actions] == ["no_action"],
    )
    decision = _decision_write(
        case=case,
        outcome=outcome,
        decided_by=DecidedBy.POLICY,
        policy=policy,
        previous=previous,
        status=status,
    )
    audit_record(
        action="case.decided",
        actor_kind=ActorKind.POLICY,
        case=case,
        inputs={"trigger": trigger, "at": at, **inputs.as_dict()},
        outcome={**_decision_summary(decision), "matched_rules": outcome.matched_rules, "status": status},
        policy_version=policy.version,
    )
    return decision


def cases_decide_for_media(*, media_item_id: int) -> list[int]:
    """Ids of the live cases of a media item (for the verdict receiver to enqueue)."""
    return list(
        Case.objects.filter(media_item_id=media_item_id, merged_into__isnull=True).values_list(
            "pk", flat=True
        )
    )
