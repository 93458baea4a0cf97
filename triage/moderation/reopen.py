"""A decided case reopens on new evidence: a new report, a new bank match, a fact-checker's rating.

Only a case whose current decision a human made reopens (the policy re-decides its own cases by
itself). The case goes back to "Awaiting review" with a `CaseReopening` naming what is new since
that decision; the decision itself stands (the platform's state does not change until a human
decides again). Audited as `case.reopened`.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from triage.audit.models import ActorKind
from triage.audit.services import audit_record
from triage.decisions.models import DecidedBy, Decision
from triage.models import Case, CaseStatus, Submission, SubmissionMedia

from .models import CaseReopening, ReopenReason

# The review tier of triage/decisions/services/deciding.py: a reopened case waits with the other
# reviews.
PRIORITY_REOPENED = 10 * 10**8


@transaction.atomic
def case_reopen(
    *, case_id: int, reason: str, details: dict | None = None, at: datetime | None = None
) -> CaseReopening | None:
    """Record new evidence on a human-decided case and put it back in review (None: no human decided it)."""
    at = at or timezone.now()
    case = Case.objects.select_for_update().filter(pk=case_id, merged_into__isnull=True).first()
    if case is None:
        return None
    current = Decision.objects.filter(case=case, is_current=True).first()
    if current is None or current.decided_by != DecidedBy.MODERATOR:
        return None
    reopening = CaseReopening.objects.create(
        case=case, since_decision=current, reason=reason, details=details or {}, at=at
    )
    was = case.status
    if case.status == CaseStatus.DECIDED:
        case.status = CaseStatus.AWAITING_REVIEW
        case.priority = max(case.priority, PRIORITY_REOPENED)
        case.save(update_fields=["status", "priority", "updated_at"])
    audit_record(
        action="case.reopened",
        actor_kind=ActorKind.SYSTEM,
        case=case,
        inputs={"reason": reason, **(details or {}), "since_decision_id": str(current.decision_id)},
        outcome={"status_before": was, "status": case.status},
    )
    return reopening


def case_reopen_for_new_report(*, case_id: int, media_item_id: int) -> CaseReopening | None:
    """A report joined a human-decided case: reopen it (a fact-checker's report counts as a rating)."""
    current = (
        Decision.objects.filter(case_id=case_id, is_current=True).only("created_at", "decided_by").first()
    )
    if current is None or current.decided_by != DecidedBy.MODERATOR:
        return None
    entry = (
        SubmissionMedia.objects.filter(case_id=case_id, fetched_at__gt=current.created_at)
        .select_related("submission__platform")
        .order_by("-fetched_at")
        .first()
    )
    if entry is None:
        return None
    submission: Submission = entry.submission
    reason = (
        ReopenReason.FACT_CHECK if submission.report_source == "fact_checker" else ReopenReason.NEW_REPORT
    )
    return case_reopen(
        case_id=case_id,
        reason=reason,
        details={
            "submission_id": submission.pk,
            "platform": submission.platform.slug,
            "report_reason": submission.report_reason,
            "media_item_id": media_item_id,
        },
    )


def case_news_since_decision(*, case: Case) -> list[CaseReopening]:
    """What is new since the current human decision (empty once a human decides again)."""
    return list(CaseReopening.objects.filter(case=case, since_decision__is_current=True).order_by("at", "pk"))
