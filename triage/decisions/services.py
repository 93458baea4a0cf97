"""Writes of the policy: decide a case (by policy or moderator), manage policy versions, shadow runs.

Every decision is taken holding the case's row lock (select_for_update), so two tasks deciding
the same case at once serialise, and the second finds the first's decision current. A decision
is only written when the outcome changed (idempotent re-evaluation), records itself in the audit
log in the same transaction, and sends `decision_made` on commit.
"""

from __future__ import annotations

import logging
import math
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from triage.audit.models import ActorKind
from triage.audit.services import audit_record
from triage.decisions.labels import audio_disclosure_render, label_render
from triage.decisions.labels.grammar import names_for_speech
from triage.evidence.models import VerdictLabel
from triage.models import Case, CaseStatus
from triage.signals import decision_made

from .engine import ACTION_TYPES, rules_evaluate, rules_validate
from .followups import decision_followups_coalesced
from .inputs import PolicyInputs, batch_memo, case_phase, case_policy_inputs, memoized, phase_reason
from .language import names_in_script
from .models import DecidedBy, Decision, PolicyStatus, PolicyVersion
from .selectors import cases_redecidable

__all__ = [
    "Outcome",
    "ShadowReport",
    "case_confirm_policy_decision",
    "case_decide_by_moderator",
    "case_decide_by_policy",
    "cases_redecide",
    "cases_redecide_with_active_policy",
    "case_phase",
    "case_policy_inputs",
    "cases_decide_for_media",
    "outcome_for",
    "phase_reason",
    "policy_activate",
    "policy_draft_create",
    "policy_shadow_run",
]

logger = logging.getLogger(__name__)

# Case.priority tiers (higher first); within a tier an earlier review deadline ranks higher.
TIER_SILENCE_HOLD = 20
TIER_HOLD = 15
TIER_REVIEW = 10
TIER_ESCALATED = 5
_TIER = 10**8
_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
MODERATOR_REVIEW_MINUTES = 240
# The trigger of a re-decision an operator requests after activating a version.
TRIGGER_POLICY_ACTIVATED = "policy_activated"


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


# Policy versions -------------------------------------------------------------------------------


def _raise_if_invalid(rules: Any) -> None:
    errors = rules_validate(rules)
    if errors:
        raise ValidationError({"rules": [f"{key}: {msg}" for key, msgs in errors.items() for msg in msgs]})


@transaction.atomic
def policy_draft_create(
    *, rules: dict[str, Any], description: str = "", user=None, based_on: PolicyVersion | None = None
) -> PolicyVersion:
    """Create a new draft version (the way to "edit" a policy: active versions never change)."""
    _raise_if_invalid(rules)
    # Lock the table's newest row so two drafts created at once don't take the same number.
    latest = PolicyVersion.objects.select_for_update().order_by("-version").first()
    version = (latest.version if latest else 0) + 1
    draft = PolicyVersion.objects.create(
        version=version, status=PolicyStatus.DRAFT, rules=rules, description=description, created_by=user
    )
    audit_record(
        action="policy.draft_created",
        actor_kind=ActorKind.OPERATOR if user else ActorKind.SYSTEM,
        actor_user=user,
        inputs={"based_on": based_on.version if based_on else None},
        outcome={"version": version},
        policy_version=version,
    )
    return draft


@transaction.atomic
def policy_activate(*, policy_version_id: int, user=None) -> PolicyVersion:
    """Make a draft the active policy (retiring the previous one). Cases are re-decided lazily."""
    version = PolicyVersion.objects.select_for_update().get(pk=policy_version_id)
    if version.status == PolicyStatus.ACTIVE:
        return version
    if version.status == PolicyStatus.RETIRED:
        raise ValidationError(
            {"status": ["A retired version cannot be activated again; copy it to a draft."]}
        )
    _raise_if_invalid(version.rules)
    previous = PolicyVersion.objects.select_for_update().filter(status=PolicyStatus.ACTIVE).first()
    if previous is not None:
        previous.status = PolicyStatus.RETIRED
        previous.save(update_fields=["status"])
    version.status = PolicyStatus.ACTIVE
    version.activated_at = timezone.now()
    version.save(update_fields=["status", "activated_at"])
    audit_record(
        action="policy.activated",
        actor_kind=ActorKind.OPERATOR if user else ActorKind.SYSTEM,
        actor_user=user,
        inputs={"previous_version": previous.version if previous else None},
        outcome={"version": version.version},
        policy_version=version.version,
    )
    return version


# Re-deciding open cases with the active version (opt-in) ---------------------------------------


def _redecide_enqueue(batches: list[list[int]]) -> None:
    # the tasks module imports this one
    from .tasks import cases_redecide_task

    for case_ids in batches:
        cases_redecide_task.delay(case_ids)


@transaction.atomic
def cases_redecide_with_active_policy(*, user=None, batch_size: int = 200) -> int:
    """Queue every live case for re-decision with the active version; return how many were queued.

    Activation alone re-decides nothing (each case takes the new version at its next trigger):
    this is the explicit operator action that applies it to the open cases now. The cases are
    those `case_decide_by_policy` would act on (not merged, with media, no moderator's decision
    current); they are enqueued in batches of `batch_size` once this transaction commits. Only
    the cases whose outcome changes get a new decision (and so a platform update).
    """
    policy = PolicyVersion.objects.filter(status=PolicyStatus.ACTIVE).first()
    if policy is None:
        raise ValidationError({"status": ["No policy version is active: nothing to re-decide with."]})
    size = max(1, batch_size)
    case_ids = list(cases_redecidable().values_list("pk", flat=True))
    batches = [case_ids[i : i + size] for i in range(0, len(case_ids), size)]
    audit_record(
        action="policy.redecide_requested",
        actor_kind=ActorKind.OPERATOR if user else ActorKind.SYSTEM,
        actor_user=user,
        inputs={"batch_size": size},
        outcome={"version": policy.version, "cases": len(case_ids), "batches": len(batches)},
        policy_version=policy.version,
    )
    transaction.on_commit(lambda: _redecide_enqueue(batches))
    return len(case_ids)


def cases_decide_in_batch(
    *, case_ids: list[int], trigger: str, at: datetime, context: str, stop: threading.Event | None = None
) -> list[int]:
    """Decide many cases with the active policy at one instant; return the ids that failed.

    `stop`, once set (the caller lost its claim on the batch), ends the loop before the next case.

    Each case is its own transaction inside `case_decide_by_policy`; one failing is logged by id
    (with `context`, e.g. which transition) and the others go on. The calendar, the registry and
    the policy are read once per batch; the decisions' fan-outs and statements are enqueued as one
    task each when the batch ends. Used by window transitions and by re-decisions on request.
    """
    failed = []
    with batch_memo(), decision_followups_coalesced():
        for case_id in case_ids:
            if stop is not None and stop.is_set():
                logger.warning("stopped re-deciding (%s): the batch was taken over", context)
                break
            try:
                case_decide_by_policy(case_id=case_id, trigger=trigger, at=at)
            except Exception:
                logger.exception("re-deciding case %s (%s) failed", case_id, context)
                failed.append(case_id)
    return failed


def cases_redecide(*, case_ids: list[int], at: datetime | None = None) -> int:
    """Re-decide a batch of cases with the active policy at `at`; return how many were decided.

    Idempotent: a duplicate or redelivered batch re-decides the same cases and finds their
    outcomes unchanged, which writes nothing (no decision, no platform update). The policy is the
    one active when the batch runs: a version activated meanwhile applies.
    """
    failed = cases_decide_in_batch(
        case_ids=case_ids,
        trigger=TRIGGER_POLICY_ACTIVATED,
        at=at or timezone.now(),
        context="re-decision with the active policy",
    )
    return len(case_ids) - len(failed)


# Shadow mode -----------------------------------------------------------------------------------


@dataclass
class ShadowChange:
    case_id: int
    current: list[str]  # "type" or "type:kind" of the current decision's actions
    proposed: list[str]
    current_rules: list[str]
    proposed_rules: list[str]


@dataclass
class ShadowReport:
    policy_version: int
    days: int
    cases_evaluated: int
    unchanged: int
    changes: list[ShadowChange]

    @property
    def changed(self) -> int:
        return len(self.changes)


def _brief(actions: list[dict[str, Any]]) -> list[str]:
    return [f"{a['type']}:{a['kind']}" if a.get("kind") else a["type"] for a in actions]


def policy_shadow_run(*, policy_version_id: int, days: int = 7) -> ShadowReport:
    """Run a (draft) version over the cases of the last `days` days; write nothing.

    Each live case with media is evaluated now with the version's rules and compared with its
    current decision (or "nothing" if it has none).
    """
    version = PolicyVersion.objects.get(pk=policy_version_id)
    _raise_if_invalid(version.rules)
    now = timezone.now()
    cases = (
        Case.objects.filter(
            created_at__gte=now - timedelta(days=days), merged_into__isnull=True, media_item__isnull=False
        )
        .select_related("media_item")
        .order_by("pk")
    )
    changes: list[ShadowChange] = []
    evaluated = 0
    for case in cases.iterator(chunk_size=500):
        evaluated += 1
        current = case.decisions.filter(is_current=True).first()
        inputs = case_policy_inputs(case=case, at=now, trigger="shadow")
        outcome = outcome_for(rules=version.rules, inputs=inputs, at=now)
        if current is not None and _decision_signature(current) == outcome.signature():
            continue
        changes.append(
            ShadowChange(
                case_id=case.pk,
                current=_brief(current.actions) if current else [],
                proposed=_brief(outcome.actions),
                current_rules=list(current.matched_rules) if current else [],
                proposed_rules=outcome.matched_rules,
            )
        )
    return ShadowReport(
        policy_version=version.version,
        days=days,
        cases_evaluated=evaluated,
        unchanged=evaluated - len(changes),
        changes=changes,
    )


def cases_decide_for_media(*, media_item_id: int) -> list[int]:
    """Ids of the live cases of a media item (for the verdict receiver to enqueue)."""
    return list(
        Case.objects.filter(media_item_id=media_item_id, merged_into__isnull=True).values_list(
            "pk", flat=True
        )
    )
