"""Celery tasks: thin wrappers that take ids and call the services.

Time limits are constants, not settings, because Celery reads them when the task is declared.
They are enforced with the prefork pool; with the threads pool each check bounds itself (the C2PA
parse runs in a child process with a timeout, detectors have HTTP timeouts) and
`checks_expire_stale_task` sweeps claims whose worker vanished.
"""

from __future__ import annotations

from celery import shared_task

from . import services
from .models import CheckResult

CHECK_SOFT_TIME_LIMIT = 120
CHECK_TIME_LIMIT = services.CHECK_TIME_LIMIT_SECONDS


@shared_task(
    name="triage.checks.tasks.check_run_task",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=CHECK_SOFT_TIME_LIMIT,
    time_limit=CHECK_TIME_LIMIT,
    max_retries=services.MAX_ATTEMPTS,
)
def check_run_task(self, check_result_id: int) -> str:
    """Run one check on one media item, then try to fuse the verdicts waiting on it."""
    return _run_check(self, check_result_id)


def _run_check(self, check_result_id: int) -> str:
    # A SoftTimeLimitExceeded raised inside the check is recorded as "timed out" by the service.
    outcome = services.check_result_execute(check_result_id=check_result_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)

    media_item_id = (
        CheckResult.objects.filter(pk=check_result_id).values_list("media_item_id", flat=True).first()
    )
    if media_item_id is not None:
        services.check_runs_fuse_for_media(media_item_id=media_item_id)
    return outcome.state


@shared_task(
    bind=True,
    name="moratorium.checks.fingerprint",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=CHECK_SOFT_TIME_LIMIT,
    time_limit=CHECK_TIME_LIMIT,
    max_retries=services.MAX_ATTEMPTS,
)
def fingerprint_check_task(self, check_result_id: int) -> str:
    """The fingerprint-bank check: the same work, routed to the banks queue (CELERY_TASK_ROUTES),
    whose few workers hold the bank indexes in memory."""
    return _run_check(self, check_result_id)


def check_task_for_kind(kind: str):
    """The task that runs a check of this kind: fingerprint matching has its own queue."""
    return fingerprint_check_task if kind == "fingerprint" else check_run_task


@shared_task(name="triage.checks.tasks.check_run_fuse_task", acks_late=True)
def check_run_fuse_task(run_id: int) -> None:
    services.check_run_fuse(run_id=run_id)


@shared_task(name="triage.checks.tasks.checks_expire_stale_task", acks_late=True)
def checks_expire_stale_task() -> int:
    return services.checks_expire_stale()
