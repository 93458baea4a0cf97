"""Fetch: a submission's media fetched or unstaged, stored by SHA-256 and attached to its case.

`submission_process` (the `process_submission` task) claims the submission, materializes it
(triage/intake/ingest.py), fetches or unstages each media entry, stores it by SHA-256, and attaches
it to the case for (media item, audience): the provisional case becomes that case, or merges into
the one that already exists. `submissions_sweep` re-enqueues whatever a lost message or a dead
worker left behind.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from datetime import datetime, timedelta
from typing import Any, BinaryIO

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from config.leases import lease_expired_before, lease_heartbeat
from config.logs import log_context_set
from config.retry import backoff_seconds
from triage.models import (
    Case,
    CaseStatus,
    MediaFetchState,
    MediaItem,
    Submission,
    SubmissionMedia,
    SubmissionState,
)
from triage.signals import media_item_stored

from .clustering import media_item_cluster, media_item_needs_clustering
from .downloads import DownloadFailed, media_download
from .ingest import submission_materialize
from .reach import case_recount, cases_locked
from .sniffing import sniff_file
from .storage import media_store, staged_delete

logger = logging.getLogger(__name__)


class MediaRejected(Exception):
    """The bytes arrived but are not media triage can check: a permanent failure."""


class RetryLater(Exception):
    """Some media hit a transient failure; the submission is pending again and should be retried."""

    def __init__(self, message: str, *, countdown: int):
        super().__init__(message)
        self.countdown = countdown


def _copy_hashing(src: BinaryIO, dest: BinaryIO, *, max_bytes: int) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := src.read(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            raise DownloadFailed(f"the file is over the {max_bytes}-byte cap", permanent=True)
        digest.update(chunk)
        dest.write(chunk)
    dest.flush()
    return digest.hexdigest(), size


def _type_mismatch(
    *, declared_media_type: str, declared_content_type: str, sniffed_mime: str, sniffed_type: str
):
    notes = []
    if declared_media_type and declared_media_type != sniffed_type:
        notes.append(f"declared {declared_media_type}, is {sniffed_type}")
    declared_ct = declared_content_type.split(";")[0].strip().lower()
    generic = {"", "application/octet-stream", "binary/octet-stream"}
    if declared_ct not in generic and declared_ct.split("/")[0] != sniffed_type:
        notes.append(f"served as {declared_ct}, is {sniffed_mime}")
    return "; ".join(notes)[:200]


def _media_fetch(*, submission_media: SubmissionMedia, allow_private: bool, dest: BinaryIO) -> dict[str, Any]:
    """Fill `dest` with the entry's bytes; return what we learned about them."""
    max_bytes = settings.MEDIA_MAX_BYTES
    if submission_media.staged_name:
        with default_storage.open(submission_media.staged_name, "rb") as staged:
            sha256, size = _copy_hashing(staged, dest, max_bytes=max_bytes)
        declared_content_type = ""
    else:
        result = media_download(
            submission_media.url, dest_file=dest, allow_private=allow_private, max_bytes=max_bytes
        )
        sha256, size, declared_content_type = result.sha256, result.size_bytes, result.declared_content_type
    sniffed = sniff_file(dest)
    if sniffed is None:
        served = f" (served as {declared_content_type})" if declared_content_type else ""
        raise MediaRejected(f"not a recognised audio, image or video format{served}")
    return {
        "sha256": sha256,
        "size": size,
        "mime_type": sniffed.mime_type,
        "media_type": sniffed.media_type,
        "declared_content_type": declared_content_type,
    }


@transaction.atomic
def _media_attach(
    *,
    submission_media_id: int,
    media_item: MediaItem,
    created: bool,
    info: dict[str, Any],
    case_media_id: int | None = None,
) -> None:
    """Attach stored media to the case for (media item, audience), merging a provisional case.

    case_media_id is the media item the case is keyed on: the canonical media of a near-duplicate
    (see triage/intake/clustering.py), else the media item itself.
    """
    now = timezone.now()
    case_media_id = case_media_id or media_item.pk
    # Holding the (canonical) media item's row lock serialises case formation for the same
    # media: two re-uploads processed at once cannot both found a case.
    MediaItem.objects.select_for_update().get(pk=case_media_id)
    sm = SubmissionMedia.objects.select_for_update().select_related("submission").get(pk=submission_media_id)
    provisional = sm.case
    target = (
        Case.objects.filter(
            media_item_id=case_media_id, audience_key=provisional.audience_key, merged_into__isnull=True
        )
        .exclude(pk=provisional.pk)
        .first()
    )
    if target is None:
        if provisional.media_item_id not in (None, case_media_id):
            raise AssertionError(f"case {provisional.pk} already holds another media item")
        cases_locked([provisional.pk])
        provisional.media_item_id = case_media_id
        provisional.save(update_fields=["media_item", "updated_at"])
        target = provisional
    else:
        locked = {c.pk: c for c in cases_locked([provisional.pk, target.pk])}
        provisional, target = locked[provisional.pk], locked[target.pk]
        sm.case = target
        if not SubmissionMedia.objects.filter(case=provisional).exclude(pk=sm.pk).exists():
            provisional.merged_into = target
            provisional.status = CaseStatus.MERGED
            provisional.save(update_fields=["merged_into", "status", "updated_at"])
        Submission.objects.filter(case=provisional, pk=sm.submission_id).update(case=target)
    sm.state = MediaFetchState.STORED
    sm.media_item = media_item
    sm.fetched_at = now
    sm.error = ""
    sm.declared_content_type = info["declared_content_type"][:100]
    sm.type_mismatch = _type_mismatch(
        declared_media_type=sm.declared_media_type,
        declared_content_type=info["declared_content_type"],
        sniffed_mime=info["mime_type"],
        sniffed_type=info["media_type"],
    )
    sm.save()
    case_recount(case=target, at=now, submission=sm.submission)
    if provisional.pk != target.pk:
        case_recount(case=provisional, at=now, submission=None)
    media_item_id, case_id = media_item.pk, target.pk
    transaction.on_commit(
        lambda: media_item_stored.send(
            sender=MediaItem, media_item_id=media_item_id, case_id=case_id, created=created
        )
    )


def _media_store(*, submission_media: SubmissionMedia, allow_private: bool) -> None:
    with tempfile.TemporaryFile() as tmp:
        info = _media_fetch(submission_media=submission_media, allow_private=allow_private, dest=tmp)
        name = media_store(fileobj=tmp, sha256=info["sha256"])
    media_item, created = MediaItem.objects.get_or_create(
        sha256=info["sha256"],
        defaults={
            "media_type": info["media_type"],
            "mime_type": info["mime_type"],
            "size_bytes": info["size"],
            "file": name,
            "original_name": submission_media.original_name,
        },
    )
    case_media_id = media_item.case_media_id
    if media_item_needs_clustering(media_item=media_item):
        # Before attaching, so a near-duplicate joins the original's case instead of founding one.
        case_media_id = media_item_cluster(media_item_id=media_item.pk)
    _media_attach(
        submission_media_id=submission_media.pk,
        media_item=media_item,
        created=created,
        info=info,
        case_media_id=case_media_id,
    )
    staged_delete(submission_media.staged_name)


def _media_fail(*, submission_media: SubmissionMedia, reason: str) -> None:
    SubmissionMedia.objects.filter(pk=submission_media.pk).update(
        state=MediaFetchState.FAILED, error=reason[:2000]
    )
    staged_delete(submission_media.staged_name)


def _retry_countdown(attempt: int) -> int:
    return int(backoff_seconds(attempt, first=5, cap=600))


def submission_claim(*, submission_id: int) -> bool:
    """Take the submission for processing; False if another worker has it or it is done."""
    return _submission_claim_at(submission_id=submission_id) is not None


def _submission_claim_at(*, submission_id: int) -> datetime | None:
    """Claim the submission; return the claim's stamp (the lease's fencing token) or None."""
    now = timezone.now()
    claimed = Submission.objects.filter(pk=submission_id, state=SubmissionState.PENDING).update(
        state=SubmissionState.PROCESSING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        # A worker that died mid-way stops renewing its claim (config/leases.py); past the
        # lease, take it over.
        claimed = Submission.objects.filter(
            pk=submission_id,
            state=SubmissionState.PROCESSING,
            claimed_at__lt=lease_expired_before("SUBMISSION_CLAIM_LEASE_SECONDS"),
        ).update(state=SubmissionState.PROCESSING, claimed_at=now, attempts=F("attempts") + 1)
    return now if claimed else None


def submission_process(*, submission_id: int, final_attempt: bool = False) -> None:
    """Fetch and store every pending media entry of a submission.

    A permanent failure (blocked address, too large, 4xx, not media) is recorded on the entry
    with its reason. A transient one (timeout, 5xx, connection refused) puts the submission back
    to pending and raises RetryLater, unless this is the final attempt, when it is recorded too.
    The claim is renewed by a heartbeat while this runs, so a worker that dies is replaced
    within about a minute and a live one is never replaced.
    """
    claimed_at = _submission_claim_at(submission_id=submission_id)
    if claimed_at is None:
        return
    with lease_heartbeat(Submission.objects, pk=submission_id, field="claimed_at", token=claimed_at) as lease:
        _submission_process_claimed(submission_id=submission_id, final_attempt=final_attempt, lease=lease)


def _submission_process_claimed(*, submission_id: int, final_attempt: bool, lease) -> None:
    submission_materialize(submission_id=submission_id)
    submission = Submission.objects.select_related("platform").get(pk=submission_id)
    log_context_set(case_id=submission.case_id)  # every log line and task that follows names the case
    transient: list[str] = []
    for sm in submission.media.filter(state=MediaFetchState.PENDING).order_by("position"):
        if lease.lost.is_set():
            # Another worker took the submission over (this one stalled past the lease): it
            # does the rest; going on would fetch the same media twice at once.
            return
        try:
            _media_store(submission_media=sm, allow_private=submission.platform.allow_private_fetch)
        except DownloadFailed as exc:
            if exc.permanent or final_attempt:
                _media_fail(submission_media=sm, reason=exc.message)
            else:
                SubmissionMedia.objects.filter(pk=sm.pk).update(error=f"will retry: {exc.message}")
                transient.append(exc.message)
        except MediaRejected as exc:
            _media_fail(submission_media=sm, reason=str(exc))
        except Exception:
            # Our own failure (storage, database): keep the other entries going, retry this one,
            # and leave moderators a reason rather than a submission stuck in "processing".
            logger.exception("storing media %s of submission %s failed", sm.position, submission_id)
            reason = "internal error while storing the media (see the worker log)"
            if final_attempt:
                _media_fail(submission_media=sm, reason=reason)
            else:
                SubmissionMedia.objects.filter(pk=sm.pk).update(error=f"will retry: {reason}")
                transient.append(reason)
    now = timezone.now()
    if transient:
        countdown = _retry_countdown(submission.attempts)
        Submission.objects.filter(pk=submission_id).update(
            state=SubmissionState.PENDING,
            due_at=now + timedelta(seconds=countdown),
            error=f"will retry: {'; '.join(transient)}"[:2000],
        )
        raise RetryLater("; ".join(transient), countdown=countdown)
    media = list(submission.media.order_by("position"))
    errors = [f"media {m.position + 1}: {m.error}" for m in media if m.state == MediaFetchState.FAILED]
    stored = any(m.state == MediaFetchState.STORED for m in media)
    Submission.objects.filter(pk=submission_id).update(
        state=SubmissionState.PROCESSED if stored else SubmissionState.FAILED,
        processed_at=now,
        error="; ".join(errors)[:2000],
    )


def submissions_sweep(*, overdue_seconds: int | None = None) -> int:
    """Re-enqueue submissions left pending past their due time (e.g. the broker was down).

    Returns how many were enqueued. Submissions whose worker died are taken back after the
    claim lease by `submission_claim`, so they are swept too.
    """
    # the tasks module imports this one
    from .tasks import process_submission

    if overdue_seconds is None:
        overdue_seconds = getattr(settings, "SUBMISSION_SWEEP_AFTER_SECONDS", 60)
    now = timezone.now()
    pending = Submission.objects.filter(
        state=SubmissionState.PENDING, due_at__lte=now - timedelta(seconds=overdue_seconds)
    ).values_list("pk", flat=True)
    stale = Submission.objects.filter(
        state=SubmissionState.PROCESSING,
        claimed_at__lt=lease_expired_before("SUBMISSION_CLAIM_LEASE_SECONDS"),
    ).values_list("pk", flat=True)
    count = 0
    for submission_id in [*pending[:1000], *stale[:1000]]:
        # Push the due time on first, so the next sweep does not enqueue it again meanwhile.
        Submission.objects.filter(pk=submission_id).update(due_at=now)
        process_submission.apply_async(kwargs={"submission_id": submission_id})
        count += 1
    if count:
        logger.info("sweeper re-enqueued %s submissions", count)
    return count
