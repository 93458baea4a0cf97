"""Fold: later reports about known content, folded into their submission and cases by a worker.

A viral fake arrives as thousands of reports about the same content within minutes. The webhook
records each one as one row (its SubmissionEvent, `folded_at` NULL) in the statement that
records any event (triage/intake/ingest.py); the first report of a burst also writes the
submission's ReportFoldDue row and publishes one `fold_reports` task due REPORT_FOLD_SECONDS
later. That task claims the schedule row (deletes it: claim before work) and folds every report
recorded so far, in the order received: the submission takes the latest of each field, the
reach totals of its cases are recounted once with one reach sample, each report is marked
folded. On commit `reports_folded` is sent once for the whole burst; the policy listens and
re-decides a case when the burst changed something its rules look at (triage/decisions).

Idempotent: reports are folded under the submission's row lock and marked in the same
transaction, so a redelivered or duplicate task finds nothing to claim, or nothing left to fold.
A report arriving during a fold schedules the next one. `report_folds_sweep` (periodic) takes
care of a lost message or a worker that died after its claim.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from triage.models import ReportFoldDue, Submission, SubmissionEvent
from triage.signals import reports_folded

from .ingest import _apply_content, _content_changes, submission_materialize
from .publisher import report_folds_publish
from .reach import case_recount, cases_locked

logger = logging.getLogger(__name__)

# Submission fields the policy's inputs read (triage/decisions/inputs.py): a fold that changes
# one of them may change the decision.
POLICY_FIELDS = (
    "report_source",
    "report_reason",
    "text",
    "language",
    "subjects",
    "creator_disclosure",
    "author",
)


def report_fold_claim(*, submission_id: int) -> bool:
    """Take the scheduled fold of a submission; False if another task took it (or none is due)."""
    deleted, _ = ReportFoldDue.objects.filter(submission_id=submission_id).delete()
    return bool(deleted)


@transaction.atomic
def submission_reports_fold(*, submission_id: int) -> int:
    """Fold a submission's reports not yet folded into it and its cases; return how many.

    Call after claiming the fold (or from the sweeper): safe to run twice, the second run finds
    nothing left.
    """
    submission_materialize(submission_id=submission_id)  # the first report's rows come first
    submission = Submission.objects.select_for_update().filter(pk=submission_id).first()
    if submission is None:
        return 0
    reports = list(
        SubmissionEvent.objects.filter(submission_id=submission_id, folded_at__isnull=True).order_by(
            "received_at", "pk"
        )
    )
    if not reports:
        return 0
    before = {name: getattr(submission, name) for name in POLICY_FIELDS}
    reach = False
    written: set[str] = set()
    for report in reports:
        payload = report.payload or {}
        # Media and audience stay as first reported (they decide the case); the event keeps them.
        content = payload.get("content") or {}
        written.update(_content_changes(content, payload))
        _apply_content(submission, content, payload)
        reach = reach or bool(payload.get("reach"))
    # Only what the reports set: the fetch may be updating the submission's state meanwhile.
    submission.save(update_fields=[*sorted(written), "updated_at"])
    now = timezone.now()
    SubmissionEvent.objects.filter(pk__in=[r.pk for r in reports]).update(folded_at=now)
    case_ids = sorted(set(submission.media.values_list("case_id", flat=True)))
    last_at = reports[-1].received_at
    if reach:
        # One point of the time series for the burst, when its last report arrived.
        for case in cases_locked(case_ids):
            case_recount(case=case, at=last_at, submission=submission)
    changed = sorted(name for name in POLICY_FIELDS if getattr(submission, name) != before[name])
    event_ids = [r.event_id for r in reports]
    transaction.on_commit(
        lambda: reports_folded.send(
            sender=Submission,
            submission_id=submission_id,
            case_ids=case_ids,
            event_ids=event_ids,
            fields_changed=changed,
            reach_at=last_at if reach else None,
        )
    )
    return len(reports)


def reports_fold(*, submission_ids: list[int]) -> int:
    """Claim and fold each submission's scheduled fold (the `fold_reports` task); return reports folded."""
    folded = 0
    for submission_id in submission_ids:
        if not report_fold_claim(submission_id=submission_id):
            continue  # a duplicate or redelivered task: another one took this fold
        try:
            folded += submission_reports_fold(submission_id=submission_id)
        except Exception:
            # The reports stay unfolded; the sweeper schedules them again.
            logger.exception("folding the reports of submission %s failed", submission_id)
    return folded


def report_folds_sweep(*, overdue_seconds: int | None = None) -> int:
    """Re-publish folds whose message was lost, and schedule reports no fold took in; return how many.

    A scheduled fold overdue by `overdue_seconds` lost its message (or its broker was down); a
    report still unfolded that long after it arrived, with no fold scheduled, lost its fold to
    a worker that died after claiming it.
    """
    if overdue_seconds is None:
        overdue_seconds = settings.SUBMISSION_SWEEP_AFTER_SECONDS
    now = timezone.now()
    cutoff = now - timedelta(seconds=overdue_seconds)
    overdue = list(
        ReportFoldDue.objects.filter(due_at__lte=cutoff).values_list("submission_id", flat=True)[:1000]
    )
    stranded = (
        SubmissionEvent.objects.filter(folded_at__isnull=True, received_at__lte=cutoff)
        .exclude(submission_id__in=ReportFoldDue.objects.values("submission_id"))
        .order_by()  # no default ordering: it would join the DISTINCT and repeat submissions
        .values_list("submission_id", flat=True)
        .distinct()[:1000]
    )
    for submission_id in stranded:
        try:
            ReportFoldDue.objects.create(submission_id=submission_id, due_at=now)
        except IntegrityError:
            continue  # a new report scheduled it meanwhile: its task will fold these too
        overdue.append(submission_id)
    if overdue:
        # Pushed on first, so the next sweep does not publish them again meanwhile.
        ReportFoldDue.objects.filter(submission_id__in=overdue).update(due_at=now)
        report_folds_publish(submission_ids=sorted(set(overdue)), countdown=0)
        logger.info("sweeper re-published the folds of %s submissions", len(set(overdue)))
    return len(set(overdue))
