"""Appeals: the DSA's internal complaint handling (art. 20), forwarded by platforms.

- `appeal_receive` (the signed webhook's `appeal` event, integrations/platforms/appeals.py):
  records the appeal against the case's current decision, reopens the case (it goes back to
  "Awaiting review" with a `CaseReopening` of reason "appeal"), audited `case.appeal_received`.
  Idempotent per (platform, event_id): a replay answers with the same appeal.
- `appeal_decide`: a moderator other than the one who made the appealed decision upholds it
  (the same actions, confirmed by a second human), reverses it (restored: no hold, no label) or
  modifies it (a label only). The outcome is a new decision: `decision_made` fans it out to every
  platform carrying the media, whose body says `"type": "appeal_decision"` (docs/callbacks.md),
  and a new statement of reasons records the amendment. Audited `case.appeal_decided`.
- `appeal_stats`: counts and outcomes per election.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from triage.audit.models import ActorKind
from triage.audit.services import audit_record
from triage.decisions.lifecycle import (
    _case_locked,
    _current,
    _human_write,
    case_outcome_label_only,
    case_outcome_restore,
)
from triage.decisions.models import DecidedBy, Decision
from triage.decisions.services import Outcome
from triage.models import Case, CaseStatus, Submission

from .models import Appeal, AppealOutcome, AppealState, CaseReopening
from .outcomes import decision_note_add
from .reopen import PRIORITY_REOPENED
from .services import CaseLockedError, NotAllowedError, case_lock_current


class AppealRefused(Exception):
    """The appeal cannot be taken: no such content, no decision to appeal."""

    def __init__(self, field: str, message: str):
        self.errors = {field: [message]}
        super().__init__(message)


def _live(case: Case) -> Case:
    while case.merged_into_id is not None:
        case = case.merged_into
    return case


def appeal_receive(
    *,
    platform,
    event_id: str,
    content_id: str,
    appellant: str,
    statement: str = "",
    at: datetime | None = None,
) -> tuple[Appeal, bool]:
    """Record a forwarded appeal; return (appeal, created). Raise AppealRefused for bad references."""
    at = at or timezone.now()
    existing = Appeal.objects.filter(platform=platform, event_id=event_id).first()
    if existing is not None:
        return existing, False
    submission = (
        Submission.objects.filter(platform=platform, content_id=content_id).select_related("case").first()
    )
    if submission is None:
        raise AppealRefused("content_id", "No report of yours about this content id.")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=_live(submission.case).pk)
        decision = Decision.objects.filter(case=case, is_current=True).first()
        if decision is None:
            raise AppealRefused("content_id", "The content has no decision to appeal yet.")
        try:
            with transaction.atomic():
                appeal = Appeal.objects.create(
                    platform=platform,
                    event_id=event_id,
                    submission=submission,
                    case=case,
                    appealed_decision=decision,
                    appealed_moderator=decision.moderator
                    if decision.decided_by == DecidedBy.MODERATOR
                    else None,
                    appellant=appellant,
                    statement=statement,
                    received_at=at,
                )
        except IntegrityError:  # the same event raced in twice
            return Appeal.objects.get(platform=platform, event_id=event_id), False

        CaseReopening.objects.create(
            case=case,
            since_decision=decision,
            reason="appeal",
            details={"appeal_id": appeal.pk, "platform": platform.slug, "appellant": appellant},
            at=at,
        )
        case.status = CaseStatus.AWAITING_REVIEW
        case.priority = max(case.priority, PRIORITY_REOPENED)
        case.save(update_fields=["status", "priority", "updated_at"])
        audit_record(
            action="case.appeal_received",
            actor_kind=ActorKind.PLATFORM,
            case=case,
            inputs={"platform": platform.slug, "event_id": event_id, "appellant": appellant},
            outcome={"appeal_id": appeal.pk, "appealed_decision_id": str(decision.decision_id)},
        )
    return appeal, True


def appeal_may_decide(*, appeal: Appeal, user) -> bool:
    """Anyone but the moderator who made the appealed decision (a second pair of eyes)."""
    return appeal.appealed_moderator_id is None or appeal.appealed_moderator_id != user.pk


@transaction.atomic
def appeal_decide(*, appeal_id: int, user, outcome: str, note: str = "", label_kind: str = "") -> Decision:
    """Decide an open appeal (see the module docstring); return the new decision."""

    appeal = Appeal.objects.select_for_update().select_related("appealed_decision").get(pk=appeal_id)
    if appeal.state != AppealState.OPEN:
        raise ValidationError({"appeal": ["This appeal is decided already."]})
    if not appeal_may_decide(appeal=appeal, user=user):
        raise NotAllowedError("another moderator must decide an appeal against your own decision")
    lock = case_lock_current(case_id=appeal.case_id)
    if lock is not None and lock.user_id != user.pk:
        raise CaseLockedError(lock)  # someone is reviewing the case right now
    if outcome not in AppealOutcome.values:
        raise ValidationError({"outcome": [f"One of: {', '.join(AppealOutcome.values)}."]})
    if outcome == AppealOutcome.UPHELD:
        decision = _uphold(appeal=appeal, user=user)
    elif outcome == AppealOutcome.REVERSED:
        decision = case_outcome_restore(case_id=appeal.case_id, user=user, keep_label=False)
    else:
        decision = case_outcome_label_only(case_id=appeal.case_id, user=user, kind=label_kind or "unverified")
    appeal.state = AppealState.DECIDED
    appeal.outcome = outcome
    appeal.outcome_decision = decision
    appeal.decided_by = user
    appeal.decided_at = timezone.now()
    appeal.save(update_fields=["state", "outcome", "outcome_decision", "decided_by", "decided_at"])
    decision_note_add(decision=decision, user=user, text=note, shared=False)
    audit_record(
        action="case.appeal_decided",
        actor_kind=ActorKind.MODERATOR,
        actor_user=user,
        case_id=appeal.case_id,
        inputs={"appeal_id": appeal.pk, "outcome": outcome, "note": note},
        outcome={"decision_id": str(decision.decision_id), "actions": decision.actions},
    )
    return decision


def _uphold(*, appeal: Appeal, user) -> Decision:
    """The appealed decision stands: the same actions, now decided (again) by a second human."""

    case = _case_locked(appeal.case_id)
    previous = _current(case)
    source = appeal.appealed_decision
    outcome = Outcome(
        phase=previous.phase,
        phase_reason=previous.phase_reason,
        verdict=source.verdict,
        actions=[a for a in source.actions if a.get("type") != "removal_hold"] or list(source.actions),
        notes=[n for n in source.notes if not n.startswith("moderator:")],
        review_deadline=None,
        hold_reason="",
        needs_review=False,
        matched_rules=list(source.matched_rules),
    )
    # A hold was temporary by nature: upholding keeps the decision's lasting measures.
    return _human_write(
        case=case, previous=previous, outcome=outcome, user=user, kind="appeal_upheld",
        inputs={"appeal_id": appeal.pk},
    )  # fmt: skip


def appeal_for_decision(*, decision: Decision) -> Appeal | None:
    """The appeal a decision resolved, if it resolved one (the callback body's `appeal`)."""
    return Appeal.objects.filter(outcome_decision=decision).first()


def appeals_open(*, case: Case) -> list[Appeal]:
    return list(Appeal.objects.filter(case=case, state=AppealState.OPEN).select_related("platform"))


@dataclass
class AppealStats:
    election: str
    received: int
    open: int
    outcomes: dict[str, int]


def appeal_stats() -> list[AppealStats]:
    """Appeal counts and outcomes per election (the election of the appealed decision's phase)."""
    rows = Appeal.objects.select_related("appealed_decision").values_list(
        "appealed_decision__phase_reason", "state", "outcome"
    )
    grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for phase_reason, state, outcome in rows:
        grouped[(phase_reason or {}).get("election") or "no election"].append((state, outcome))
    stats = []
    for election, items in sorted(grouped.items()):
        outcomes = Counter(outcome for state, outcome in items if state == AppealState.DECIDED)
        stats.append(
            AppealStats(
                election=election,
                received=len(items),
                open=sum(1 for state, _ in items if state == AppealState.OPEN),
                outcomes={key: outcomes.get(key, 0) for key in AppealOutcome.values},
            )
        )
    return stats
