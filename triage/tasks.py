"""Celery tasks for triage: thin wrappers that take ids and call services."""

from celery import shared_task

from . import services

MAX_FETCH_RETRIES = 6  # with backoff 5, 10, 20, 40, 80, 160 s: a flaky CDN gets about five minutes


@shared_task(bind=True, acks_late=True, max_retries=MAX_FETCH_RETRIES)
def process_submission(self, submission_id: int) -> None:
    """Fetch and store a submission's media; retry transient failures with backoff."""
    try:
        services.submission_process(
            submission_id=submission_id, final_attempt=self.request.retries >= self.max_retries
        )
    except services.RetryLater as exc:
        raise self.retry(countdown=exc.countdown, exc=exc) from exc


@shared_task
def dispatch_submissions(submission_ids: list[int]) -> None:
    """Fan a batch published by a web process out into one processing task per submission."""
    for submission_id in submission_ids:
        process_submission.apply_async(kwargs={"submission_id": submission_id})


@shared_task
def sweep_submissions() -> int:
    """Re-enqueue submissions whose processing message was lost (periodic, see CELERY_BEAT_SCHEDULE)."""
    from .readiness import worker_heartbeat_stamp

    worker_heartbeat_stamp()  # /readyz: a worker (and beat) are alive
    return services.submissions_sweep()
