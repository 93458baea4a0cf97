"""A case's reach: its totals recounted from its submissions, and the points of its time series.

Shared by ingest (a new report about known content) and fetch (media attached to a case).
"""

from __future__ import annotations

from django.db.models import Count, Sum

from triage.models import Case, ReachSample, Submission, SubmissionMedia

REACH_TOTAL_MAX = 2**63 - 1  # PostgreSQL's bigint, Case.total_views and ReachSample.case_views


def case_recount(*, case: Case, at, submission: Submission | None) -> None:
    """Recompute a case's reach totals from its submissions and add a point to the time series.

    Call while holding the case's row lock, so concurrent reports add up instead of overwriting.
    """
    submission_ids = SubmissionMedia.objects.filter(case=case).values("submission_id")
    totals = Submission.objects.filter(pk__in=submission_ids).aggregate(
        views=Sum("views"), shares=Sum("shares"), n=Count("id")
    )
    # Each report's figures fit a bigint but their sum may not: the totals saturate at its maximum
    # (PostgreSQL sums bigints as numeric, so the sum itself is exact until it is stored).
    case.total_views = min(totals["views"] or 0, REACH_TOTAL_MAX)
    case.total_shares = min(totals["shares"] or 0, REACH_TOTAL_MAX)
    case.submission_count = totals["n"]
    case.save(update_fields=["total_views", "total_shares", "submission_count", "updated_at"])
    if submission is not None:
        reach_sample_for(case=case, submission=submission, at=at).save(force_insert=True)


def reach_sample_for(*, case: Case, submission: Submission, at) -> ReachSample:
    """A point of the case's reach series: the submission's latest report and the case's totals."""
    return ReachSample(
        case=case,
        submission=submission,
        at=at,
        views=submission.views,
        shares=submission.shares,
        window_minutes=submission.reach_window_minutes,
        case_views=case.total_views,
        case_shares=case.total_shares,
    )


def cases_locked(case_ids) -> list[Case]:
    # Always lock in id order: two transactions touching the same cases cannot deadlock.
    return list(Case.objects.select_for_update().filter(pk__in=set(case_ids)).order_by("pk"))
