"""Celery tasks of intake: thin wrappers that take ids and call the fetch service."""

from celery import shared_task

from triage.readiness import worker_heartbeat_stamp

from . import fetch, folds

MAX_FETCH_RETRIES = 6  # with backoff 5, 10, 20, 40, 80, 160 s: a flaky CDN gets about five minutes
# A backstop: every download already stops at MEDIA_FETCH_TIMEOUT_SECONDS, checked on every read,
# so only a submission of many slow media gets near this. The soft limit is recorded as a
# transient failure of the entry in hand (retried later); the hard limit kills the child, and the
# claim lease lets the sweeper take the submission over. Constants: Celery reads them at declaration.
FETCH_SOFT_TIME_LIMIT = 30 * 60
FETCH_TIME_LIMIT = FETCH_SOFT_TIME_LIMIT + 60


@shared_task(
    name="triage.tasks.process_submission",
    bind=True,
    acks_late=True,
    max_retries=MAX_FETCH_RETRIES,
    soft_time_limit=FETCH_SOFT_TIME_LIMIT,
    time_limit=FETCH_TIME_LIMIT,
)
def process_submission(self, submission_id: int) -> None:
    """Fetch and store a submission's media; retry transient failures with backoff."""
    try:
        fetch.submission_process(
            submission_id=submission_id, final_attempt=self.request.retries >= self.max_retries
        )
    except fetch.RetryLater as exc:
        raise self.retry(countdown=exc.countdown, exc=exc) from exc


@shared_task(name="triage.tasks.dispatch_submissions")
def dispatch_submissions(submission_ids: list[int]) -> None:
    """Fan a batch published by a web process out into one processing task per submission."""
    for submission_id in submission_ids:
        process_submission.apply_async(kwargs={"submission_id": submission_id})


@shared_task(name="triage.tasks.fold_reports", acks_late=True)
def fold_reports(submission_ids: list[int]) -> int:
    """Fold the later reports of these submissions, one claimed fold each (triage/intake/folds.py)."""
    return folds.reports_fold(submission_ids=submission_ids)


@shared_task(name="triage.tasks.sweep_submissions")
def sweep_submissions() -> int:
    """Re-enqueue submissions whose processing message was lost (periodic, see CELERY_BEAT_SCHEDULE).

    Also re-publishes report folds whose message was lost (`report_folds_sweep`).
    """
    worker_heartbeat_stamp()  # /readyz: a worker (and beat) are alive
    return fetch.submissions_sweep() + folds.report_folds_sweep()
