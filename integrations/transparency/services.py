"""Store a DSA statement of reasons for each decision that restricts content."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from triage.audit.services import audit_record
from triage.decisions.lifecycle import hold_span
from triage.decisions.models import Decision
from triage.intake.selectors import case_submissions
from triage.moderation.appeals import appeal_for_decision

from .build import ACTION_VISIBILITY, REASON_KEYWORDS, SorInputError, statement_of_reasons_build
from .models import StatementOfReasons
from .validate import statement_of_reasons_validate

logger = logging.getLogger(__name__)


def decision_restricts(*, decision: Decision) -> bool:
    """Whether any action restricts the content (a statement of reasons is due)."""
    return any(a.get("type") in ACTION_VISIBILITY for a in decision.actions if isinstance(a, dict))


def sor_input(*, decision: Decision, submission) -> dict:
    """Map a decision and one platform submission to `statement_of_reasons_build`'s input."""
    case = decision.case
    reasons = [
        a.get("reason") for a in decision.actions if isinstance(a, dict) and a.get("type") == "escalate"
    ]
    reasons += [r for r in decision.matched_rules or [] if r in REASON_KEYWORDS]
    labels = [a for a in decision.actions if isinstance(a, dict) and a.get("type") == "label"]
    language = (labels[0].get("language") if labels else None) or submission.language or None
    return {
        "decision_id": str(decision.decision_id),
        "submission_ref": f"{submission.platform.slug}-{submission.pk}",
        "decided_at": decision.created_at,
        "content_date": submission.posted_at or submission.created_at,
        "media_type": case.media_item.media_type if case.media_item_id else "",
        "actions": _actions_with_hold_end(decision),
        "reporter_kind": submission.report_source,
        "decided_by": decision.decided_by,
        "verdict": decision.verdict or {},
        "reasons": [r for r in reasons if isinstance(r, str)],
        "phase": decision.phase,
        "phase_country": (decision.phase_reason or {}).get("country"),
        "audience_countries": list(case.audience_countries or []),
        "content_language": language,
        **_removal_ground(decision),
        **_appeal_amendment(decision),
    }


def _appeal_amendment(decision: Decision) -> dict:

    appeal = appeal_for_decision(decision=decision)
    return {"appeal_outcome": appeal.outcome} if appeal is not None else {}


def _actions_with_hold_end(decision: Decision) -> list:
    """The decision's actions, the hold's review deadline replaced by the hold's real end.

    A hold outlives its review deadline (a missed deadline escalates, the hold stays) until its
    longest life, which the policy sets (triage/decisions/holds.py): that is when the restriction ends.
    """

    span = hold_span(decision=decision)
    if span is None:
        return decision.actions
    # Never before the decision itself (a hold past its end is lapsed by the next sweep).
    ends = max(span[1], decision.created_at)
    return [
        {**a, "review_deadline": ends.isoformat()} if a.get("type") == "removal_hold" else a
        for a in decision.actions
        if isinstance(a, dict)
    ]


def _removal_ground(decision: Decision) -> dict:
    """A removal under a country's law files on the illegal-content ground (codes only, no names)."""
    for action in decision.actions:
        if isinstance(action, dict) and action.get("type") == "remove" and action.get("ground") == "law":
            country = action.get("country", "")
            reference = action.get("legal_reference") or "national law"
            return {
                "legal_ground": f"{reference} ({country})"[:500],
                "legal_explanation": f"A moderator found the content illegal under the law of {country}.",
            }
    return {}


@transaction.atomic
def statements_for_decision(*, decision_id: int) -> list[StatementOfReasons]:
    """Build, validate and store one statement per platform submission of a restricting decision.

    Idempotent; nothing for a decision that restricts nothing (escalate, no_action). A statement
    that cannot be built or does not validate is stored with its errors, never dropped.
    """

    decision = Decision.objects.select_related("case__media_item").get(pk=decision_id)
    if not decision_restricts(decision=decision):
        return []
    stored = []
    for submission in case_submissions(case_id=decision.case_id):
        if StatementOfReasons.objects.filter(decision=decision, submission=submission).exists():
            continue
        statement, errors = {}, {}
        try:
            statement = statement_of_reasons_build(
                decision=sor_input(decision=decision, submission=submission)
            )
            errors = statement_of_reasons_validate(statement)
        except SorInputError as exc:
            errors = exc.errors
        stored.append(
            StatementOfReasons.objects.create(
                decision=decision,
                platform=submission.platform,
                submission=submission,
                puid=statement.get("puid", ""),
                statement=statement,
                errors=errors,
                valid=not errors,
                decided_at=decision.created_at,
            )
        )
    if stored:
        audit_record(
            action="statements.stored",
            case_id=decision.case_id,
            inputs={"decision_id": str(decision.decision_id)},
            outcome={
                "statements": [
                    {"id": s.pk, "puid": s.puid, "valid": s.valid, "errors": s.errors} for s in stored
                ]
            },
        )
    return stored


def statements_sweep_missed(*, now: datetime | None = None, days: int = 7, limit: int = 200) -> int:
    """Store the statements of restricting decisions of the last `days` days that have none.

    The safety net behind the decision_made receiver (a lost signal, a crash). Return how many
    decisions were looked at; each runs in its own transaction.
    """
    now = now or timezone.now()
    restricting = reduce(or_, (Q(action_kinds__contains=f",{kind},") for kind in ACTION_VISIBILITY))
    missed = list(
        Decision.objects.filter(
            restricting, created_at__gte=now - timedelta(days=days), statements__isnull=True
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for decision_id in missed:
        try:
            statements_for_decision(decision_id=decision_id)
        except Exception:  # noqa: BLE001  (logged; retried at the next sweep)
            logger.exception("statements of decision %s could not be stored", decision_id)
    return len(missed)
