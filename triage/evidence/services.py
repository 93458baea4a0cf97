"""Writes: enqueue the checks of a media item, claim and record one check, fuse the verdict."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from config.leases import lease_expired_before, lease_heartbeat, lease_seconds
from config.retry import backoff_seconds
from triage.models import MediaItem
from triage.signals import verdict_fused

from .base import CheckError, media_file_for_item
from .models import CheckResult, CheckRun, CheckState, DetectorConfig, Verdict
from .registry import check_for_kind, checks_for_media_type
from .verdict import DetectorPolicy, Finding, fuse

logger = logging.getLogger(__name__)

# A RUNNING claim is renewed by a heartbeat while its check runs (config/leases.py); one not
# renewed for CHECK_CLAIM_LEASE_SECONDS belongs to a worker that died, and checks_expire_stale
# runs it again (once: a file that kills its worker twice is recorded as failed).
MAX_ATTEMPTS = 4
MAX_RUNS_AFTER_LOST_WORKER = 2
# Celery's hard time limit on one check (tasks.py): the heartbeat stops renewing a claim past it.
CHECK_TIME_LIMIT_SECONDS = 150
# A pending result untouched this long has lost its task message (longest backoff: 5 min).
PENDING_FORGOTTEN_AFTER = timedelta(minutes=15)
BACKOFF_BASE_SECONDS = 5.0
BACKOFF_MAX_SECONDS = 300.0


@dataclass(frozen=True)
class ExecuteOutcome:
    """What the task should do next: retry after `retry_in` seconds, or go on to fusion."""

    state: str
    retry_in: float | None = None


@transaction.atomic
def media_checks_enqueue(*, media_item_id: int) -> CheckRun:
    """Start (or re-join) the checks of a media item; each check runs as its own Celery task.

    Idempotent per media item: results are keyed by (media, kind, version), so a second call
    claims the same rows, and when the latest run already covers exactly these results no new
    run is made (a file re-uploaded 500 times is checked once).
    """
    # the tasks module imports this one
    from .tasks import check_run_fuse_task, check_task_for_kind

    item = MediaItem.objects.select_for_update().get(pk=media_item_id)
    results = []
    for check in checks_for_media_type(item.media_type):
        result, _ = CheckResult.objects.get_or_create(media_item=item, kind=check.kind, version=check.version)
        results.append(result)
    ids = {r.pk for r in results}
    run = CheckRun.objects.filter(media_item=item).order_by("-created_at").first()
    if run is None or set(run.results.values_list("pk", flat=True)) != ids:
        run = CheckRun.objects.create(media_item=item)
        run.results.set(results)
    pending = [(r.pk, r.kind) for r in results if not r.finished]
    for result_id, kind in pending:
        transaction.on_commit(lambda rid=result_id, kind=kind: check_task_for_kind(kind).delay(rid))
    if not pending and run.fused_at is None:
        transaction.on_commit(lambda: check_run_fuse_task.delay(run.pk))
    return run


def check_result_claim(*, check_result_id: int) -> bool:
    """Claim a result for this worker; False when another worker has it or it is finished."""
    return _claim_at(check_result_id) is not None


def _claim_at(check_result_id: int):
    """Claim the result; return the claim's stamp (the lease's fencing token) or None."""
    now = timezone.now()
    claimable = Q(state=CheckState.PENDING) | Q(
        state=CheckState.RUNNING, started_at__lt=lease_expired_before("CHECK_CLAIM_LEASE_SECONDS")
    )
    claimed = CheckResult.objects.filter(claimable, pk=check_result_id).update(
        state=CheckState.RUNNING, started_at=now, attempts=F("attempts") + 1
    )
    return now if claimed else None


def _finish(result_id: int, token=None, **fields) -> None:
    # Fenced by the claim's stamp when known: a worker that stalled past its lease and was
    # replaced does not overwrite its replacement's result.
    fence = {"started_at": token} if token is not None else {}
    CheckResult.objects.filter(pk=result_id, state=CheckState.RUNNING, **fence).update(
        finished_at=timezone.now(), **fields
    )


def check_result_execute(*, check_result_id: int, timed_out: bool = False) -> ExecuteOutcome:
    """Claim a result, run its check and record what came of it.

    A transient failure (vendor 5xx, 429, timeout) releases the claim and asks for a retry with
    backoff, honouring Retry-After; after MAX_ATTEMPTS, or on any other failure, the result is
    recorded as failed and the verdict goes on without it.
    """
    claimed_at = _claim_at(check_result_id)
    if claimed_at is None:
        state = CheckResult.objects.filter(pk=check_result_id).values_list("state", flat=True).first()
        return ExecuteOutcome(state=state or "missing")
    with lease_heartbeat(
        CheckResult.objects,
        pk=check_result_id,
        field="started_at",
        token=claimed_at,
        max_seconds=CHECK_TIME_LIMIT_SECONDS,
    ) as lease:
        outcome = _execute_claimed(check_result_id, timed_out=timed_out)
    return outcome.finish(lease.token)


@dataclass(frozen=True)
class _Recorded:
    """What a claimed run came to; written once the heartbeat has stopped, fenced by its token."""

    outcome: ExecuteOutcome
    fields: dict
    release: bool = False  # back to pending for a retry

    def finish(self, token) -> ExecuteOutcome:
        if self.release:
            CheckResult.objects.filter(
                pk=self.fields["pk"], state=CheckState.RUNNING, started_at=token
            ).update(state=CheckState.PENDING, error=self.fields["error"])
        else:
            fields = dict(self.fields)
            _finish(fields.pop("pk"), token=token, **fields)
        return self.outcome


def _execute_claimed(check_result_id: int, *, timed_out: bool) -> _Recorded:
    result = CheckResult.objects.select_related("media_item").get(pk=check_result_id)
    try:
        check = check_for_kind(result.kind)
        with media_file_for_item(result.media_item) as media:
            found = check.run(media)
    except CheckError as exc:
        if exc.transient and result.attempts < MAX_ATTEMPTS:
            delay = exc.retry_after or backoff_seconds(
                result.attempts, first=BACKOFF_BASE_SECONDS, cap=BACKOFF_MAX_SECONDS
            )
            return _Recorded(
                ExecuteOutcome(state=CheckState.PENDING, retry_in=delay),
                {"pk": result.pk, "error": exc.message[:500]},
                release=True,
            )
        return _Recorded(
            ExecuteOutcome(state=CheckState.FAILED),
            {"pk": result.pk, "state": CheckState.FAILED, "error": exc.message[:500]},
        )
    except Exception as exc:  # noqa: BLE001 - a broken check must not stop the verdict
        if timed_out or type(exc).__name__ == "SoftTimeLimitExceeded":
            return _Recorded(
                ExecuteOutcome(state=CheckState.FAILED),
                {"pk": result.pk, "state": CheckState.FAILED, "error": "timed out"},
            )
        logger.exception("check %s failed on media item %s", result.kind, result.media_item_id)
        return _Recorded(
            ExecuteOutcome(state=CheckState.FAILED),
            {"pk": result.pk, "state": CheckState.FAILED, "error": f"{type(exc).__name__}: {str(exc)[:400]}"},
        )
    return _Recorded(
        ExecuteOutcome(state=CheckState.DONE),
        {
            "pk": result.pk,
            "state": CheckState.DONE,
            "label": found.label[:50],
            "score": found.score,
            "evidence": found.evidence,
            "duration_ms": found.duration_ms,
            "error": "",
        },
    )


def detector_policies() -> dict[str, DetectorPolicy]:
    return {
        c.name: DetectorPolicy(name=c.name, threshold=c.threshold, weight=c.weight, trusted=c.trusted)
        for c in DetectorConfig.objects.all()
    }


def finding_from_result(result: CheckResult) -> Finding:
    return Finding(
        kind=result.kind,
        ok=result.state == CheckState.DONE,
        label=result.label,
        score=result.score,
        evidence=result.evidence or {},
        error=result.error,
    )


@transaction.atomic
def check_run_fuse(*, run_id: int) -> Verdict | None:
    """Fuse the run's verdict once every result is finished; exactly once, under a row lock."""
    run = CheckRun.objects.select_for_update().get(pk=run_id)
    if run.fused_at is not None:
        return Verdict.objects.filter(run=run).first()
    results = list(run.results.all())
    if any(not r.finished for r in results):
        return None
    outcome = fuse([finding_from_result(r) for r in results], detector_policies())
    verdict = Verdict.objects.create(
        run=run,
        media_item_id=run.media_item_id,
        label=outcome.label,
        confidence=outcome.confidence,
        reasons=outcome.reasons,
        failed_checks=outcome.failed_checks,
        tampered_provenance=outcome.tampered_provenance,
    )
    run.fused_at = timezone.now()
    run.save(update_fields=["fused_at"])
    verdict_id, media_item_id = verdict.pk, verdict.media_item_id
    transaction.on_commit(
        lambda: verdict_fused.send(sender=Verdict, verdict_id=verdict_id, media_item_id=media_item_id)
    )
    return verdict


def check_runs_fuse_for_media(*, media_item_id: int) -> list[Verdict]:
    """Try to fuse every open run of a media item (results are shared between runs)."""
    verdicts = []
    for run_id in CheckRun.objects.filter(media_item_id=media_item_id, fused_at__isnull=True).values_list(
        "pk", flat=True
    ):
        verdict = check_run_fuse(run_id=run_id)
        if verdict is not None:
            verdicts.append(verdict)
    return verdicts


def checks_expire_stale() -> int:
    """Take back the checks whose worker vanished mid-run, and fuse what they held up.

    A claim not renewed for the lease (CHECK_CLAIM_LEASE_SECONDS; its worker renews it every
    CLAIM_HEARTBEAT_SECONDS while alive) is put back to pending and its task sent again, once;
    the second time, the check is recorded as failed and the verdict goes on without it. Run
    every CLAIM_SWEEP_SECONDS by beat, so a killed worker's check is redone within about a
    minute. Returns how many claims were taken back.
    """
    # deferred: a module-level import here forms an import cycle
    from .tasks import check_task_for_kind

    now = timezone.now()
    cutoff = lease_expired_before("CHECK_CLAIM_LEASE_SECONDS")
    stale = list(
        CheckResult.objects.filter(state=CheckState.RUNNING, started_at__lt=cutoff).values_list(
            "pk", "media_item_id", "attempts", "kind"
        )
    )
    failed_media = set()
    for pk, media_item_id, attempts, kind in stale:
        expired = CheckResult.objects.filter(pk=pk, state=CheckState.RUNNING, started_at__lt=cutoff)
        if attempts < MAX_RUNS_AFTER_LOST_WORKER:
            # Stamped now, so the forgotten-task sweep below leaves it to this message.
            if expired.update(state=CheckState.PENDING, started_at=now, error="worker lost; running again"):
                logger.warning("check result %s: its worker vanished; running it again", pk)
                check_task_for_kind(kind).delay(pk)
        elif expired.update(
            state=CheckState.FAILED, error="timed out (no answer from its worker)", finished_at=timezone.now()
        ):
            failed_media.add(media_item_id)
    for media_item_id in failed_media:
        check_runs_fuse_for_media(media_item_id=media_item_id)
    cutoff = now - timedelta(seconds=lease_seconds("CHECK_CLAIM_LEASE_SECONDS"))
    # A run whose last task died between recording its result and fusing is fused here.
    for run_id in CheckRun.objects.filter(fused_at__isnull=True, created_at__lt=cutoff).values_list(
        "pk", flat=True
    )[:500]:
        check_run_fuse(run_id=run_id)
    # A pending result of an open run whose task message was lost (a broker or worker failure
    # between releasing the claim and publishing the retry) gets its task again; a duplicate is
    # harmless, the claim lets only one run it.
    forgotten = (
        CheckResult.objects.filter(
            Q(started_at__lt=now - PENDING_FORGOTTEN_AFTER)
            | Q(started_at__isnull=True, created_at__lt=now - PENDING_FORGOTTEN_AFTER),
            state=CheckState.PENDING,
            runs__fused_at__isnull=True,
        )
        .values_list("pk", "kind")
        .distinct()
    )
    for pk, kind in forgotten:
        # Stamp it so a long queue backlog gets one extra message per item per period, not a flood.
        if CheckResult.objects.filter(pk=pk, state=CheckState.PENDING).update(started_at=now):
            check_task_for_kind(kind).delay(pk)
    return len(stale)
