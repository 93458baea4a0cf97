"""Writes on submissions, cases and media items: ingest, process (fetch and store), sweep.

The flow: `submission_ingest` records a webhook event as one submission row in the "to process"
state, holding the event and its media entries as its `intake` and the id reserved for its
case, and enqueues `process_submission` on commit. The task calls `submission_process`, which
first writes what the intake describes (`submission_materialize`: one provisional case per media
entry, the media entries, the event, the reach sample), then fetches or unstages each media
entry, stores it by SHA-256, and attaches it to the case for (media item, audience): the
provisional case becomes that case, or merges into the one that already exists.
`submissions_sweep` re-enqueues whatever a lost message or a dead worker left behind.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, BinaryIO

import psycopg
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from psycopg.types.json import Jsonb

from config.leases import lease_expired_before, lease_heartbeat
from config.logs import log_context_set
from integrations.http import OutboundError, ResponseTooLarge, outbound_download

from .clustering import media_item_cluster, media_item_needs_clustering
from .models import (
    Case,
    CaseStatus,
    MediaFetchState,
    MediaItem,
    ReachSample,
    Submission,
    SubmissionEvent,
    SubmissionEventKind,
    SubmissionMedia,
    SubmissionState,
)
from .publisher import submission_publish_soon, submissions_publish
from .selectors import submission_for_event
from .signals import media_item_stored
from .sniffing import sniff_file
from .storage import media_store, staged_delete, staged_save

logger = logging.getLogger(__name__)

# On PostgreSQL, a first event is written in one statement (see _insert_submission_in_one_statement);
# elsewhere (the embedded SQLite mode) through the ORM. Tests flip this to cover both.
SINGLE_STATEMENT_INGEST = True


class MediaRejected(Exception):
    """The bytes arrived but are not media triage can check: a permanent failure."""


class RetryLater(Exception):
    """Some media hit a transient failure; the submission is pending again and should be retried."""

    def __init__(self, message: str, *, countdown: int):
        super().__init__(message)
        self.countdown = countdown


@dataclass(frozen=True)
class IngestResult:
    submission_id: int
    case_id: int
    created: bool  # a new submission
    updated: bool  # a new event about content we already had
    duplicate: bool  # an event_id we had already received: nothing changed


def _audience_key(countries: list[str]) -> str:
    return ",".join(countries)


def _case_recount(*, case: Case, at, submission: Submission | None) -> None:
    """Recompute a case's reach totals from its submissions and add a point to the time series.

    Call while holding the case's row lock, so concurrent reports add up instead of overwriting.
    """
    submission_ids = SubmissionMedia.objects.filter(case=case).values("submission_id")
    totals = Submission.objects.filter(pk__in=submission_ids).aggregate(
        views=Sum("views"), shares=Sum("shares"), n=Count("id")
    )
    case.total_views = totals["views"] or 0
    case.total_shares = totals["shares"] or 0
    case.submission_count = totals["n"]
    case.save(update_fields=["total_views", "total_shares", "submission_count", "updated_at"])
    if submission is not None:
        _reach_sample(case=case, submission=submission, at=at).save(force_insert=True)


def _reach_sample(*, case: Case, submission: Submission, at) -> ReachSample:
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


def _locked_cases(case_ids) -> list[Case]:
    # Always lock in id order: two transactions touching the same cases cannot deadlock.
    return list(Case.objects.select_for_update().filter(pk__in=set(case_ids)).order_by("pk"))


def submission_enqueue_on_commit(*, submission_id: int) -> None:
    """Enqueue processing once the submission is committed; a broker failure is left to the sweeper.

    With a broker, the web process's publishing thread sends it (triage/publisher.py), so the
    request does not wait for the broker. Without one (tasks run eagerly), it runs right here.
    """
    from .tasks import process_submission

    if process_submission.app.conf.task_always_eager:
        transaction.on_commit(lambda: submissions_publish(submission_ids=[submission_id]))
    else:
        transaction.on_commit(lambda: submission_publish_soon(submission_id=submission_id))


def _content_changes(content: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    """Return the submission fields (attname: value) an event sets or updates."""
    changes = {
        attr: value
        for attr, value in (
            ("content_url", content.get("url")),
            ("posted_at", content.get("posted_at")),
            ("text", content.get("text")),
            ("language", content.get("language")),
            ("subjects", content.get("subjects")),
            ("creator_disclosure", content.get("creator_disclosure")),
            ("report_note", event.get("report", {}).get("note")),
        )
        if value is not None
    }
    report = event.get("report") or {}
    if report.get("source"):
        changes["report_source"] = report["source"]
    if report.get("reason"):
        changes["report_reason"] = report["reason"]
    reach = event.get("reach") or {}
    for key, attr in (("views", "views"), ("shares", "shares"), ("window_minutes", "reach_window_minutes")):
        if key in reach:
            changes[attr] = reach[key]
    return changes


def _apply_content(submission: Submission, content: dict[str, Any], event: dict[str, Any]) -> None:
    """Copy the fields an event may set or update onto the submission."""
    for attr, value in _content_changes(content, event).items():
        setattr(submission, attr, value)


def _new_submission(
    *, platform, event: dict[str, Any], inline_files: dict[str, UploadedFile]
) -> dict[str, Any]:
    """Return the submission a first event creates (attname: value), its intake included."""
    now = timezone.now()
    content = event["content"]
    audience = event.get("audience") or {}
    countries = sorted({c.upper() for c in (audience.get("countries") or platform.default_countries or [])})
    media = []
    for position, entry in enumerate(content["media"]):
        staged_name = original_name = ""
        if entry.get("file"):
            upload = inline_files[entry["file"]]
            staged_name = staged_save(fileobj=upload)
            original_name = (upload.name or "")[:255]
        media.append(
            {
                "position": position,
                "url": entry.get("url") or "",
                "staged_name": staged_name,
                "original_name": original_name,
                "declared_media_type": entry.get("media_type") or "",
            }
        )
    report = event["report"]
    return {
        "platform_id": platform.pk,
        "content_id": content["id"],
        "first_event_id": event["event_id"],
        "report_source": report["source"],
        "report_reason": report["reason"],
        "audience_countries": countries,
        "audience_regions": sorted(set(audience.get("regions") or [])),
        "state": SubmissionState.PENDING.value,
        "due_at": now,
        "created_at": now,
        "updated_at": now,
        "intake": {"event": event, "media": media},
        **_content_changes(content, event),
    }


def _provisional_case_fields(*, countries: list[str], regions: list[str], views: int, shares: int) -> dict:
    """The fields of a new submission's case: its only submission is that one, so its totals are known."""
    return {
        "audience_countries": countries, "audience_regions": regions,
        "audience_key": _audience_key(countries), "total_views": views, "total_shares": shares,
        "submission_count": 1,
    }  # fmt: skip


def _staged_names(values: dict[str, Any]) -> list[str]:
    return [media["staged_name"] for media in values["intake"]["media"]]


@transaction.atomic
def _insert_submission_orm(values: dict[str, Any]) -> tuple[int, int]:
    """Insert the submission through the ORM (SQLite); return (submission id, case id).

    Without sequences the only way to reserve the case's id is to write the case: the first
    case is written here, the rest by `submission_materialize`, which finds it.
    """
    case = Case.objects.create(
        **_provisional_case_fields(
            countries=values["audience_countries"], regions=values["audience_regions"],
            views=values.get("views", 0), shares=values.get("shares", 0),
        )
    )  # fmt: skip
    submission = Submission(**values, case=case)
    submission.save(force_insert=True)
    return submission.pk, case.pk


# The statement text never changes (every value is a parameter), so PostgreSQL parses and plans it
# once per connection (a prepared statement). Plain typed parameters rather than one JSON document
# turned into a row: each value is converted once, which costs PostgreSQL a third less per insert.
_FILLED_BY_STATEMENT = {"case_id"}


@functools.cache
def _columns(model) -> tuple[tuple[str, Any], ...]:
    """Return (attname, field) of the model's columns a new row gets as parameters."""
    return tuple(
        (field.attname, field)
        for field in model._meta.concrete_fields
        if not field.primary_key and field.attname not in _FILLED_BY_STATEMENT
    )


@functools.cache
def _defaults(model) -> dict[str, Any]:
    """Return each column's default, computed once: a new row's parameters start from these."""
    return {
        attname: None
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        # Callable defaults (list, dict) are called once and shared: parameters are only read.
        else field.get_default()
        for attname, field in _columns(model)
    }


@functools.cache
def _json_columns(model) -> frozenset[str]:
    return frozenset(a for a, f in _columns(model) if isinstance(f, models.JSONField))


def _dumps(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, separators=(",", ":"))


def _insert_params(model, values: dict[str, Any]) -> dict[str, Any]:
    """Return a complete new row of `model`: `values`, else each column's default.

    Every auto_now / auto_now_add column must be in `values`. JSON values go as jsonb; None in a
    nullable JSON column is SQL NULL, as the ORM writes it.
    """
    row = {**_defaults(model), **values}
    for attname in _json_columns(model):
        if row[attname] is not None:
            row[attname] = Jsonb(row[attname], dumps=_dumps)
    return row


@functools.cache
def _submission_insert_statement() -> str:
    quote = connection.ops.quote_name
    columns = [attname for attname, _field in _columns(Submission)]
    column_list = ", ".join(quote(Submission._meta.get_field(a).column) for a in [*columns, "case_id"])
    placeholders = ", ".join(f"%({a})s" for a in columns)
    # Only identifiers from model metadata go into the text. The case's id comes from the case
    # table's own sequence, so the worker can write that case later under the id the platform
    # was given.
    return (
        f"INSERT INTO {quote(Submission._meta.db_table)} ({column_list}) "  # noqa: S608
        f"VALUES ({placeholders}, nextval(pg_get_serial_sequence('{Case._meta.db_table}', 'id'))) "
        f"RETURNING id, {quote('case_id')}"
    )


def _insert_submission_in_one_statement(values: dict[str, Any]) -> tuple[int, int]:
    """Insert the submission in one prepared PostgreSQL statement; return (submission id, case id).

    The webhook's hot path: one row, one round trip, no BEGIN or COMMIT of our own. Known
    content or a replayed first event violates a unique constraint: IntegrityError.
    """
    # Django's cursor binds values into the text client-side; a psycopg Cursor on the same
    # connection binds them server-side, which is what lets PostgreSQL keep the statement prepared.
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(_submission_insert_statement(), _insert_params(Submission, values), prepare=True)
        return cursor.fetchone()


def _ingest_new(
    *, platform, event: dict[str, Any], inline_files: dict[str, UploadedFile]
) -> IngestResult | None:
    """Record an event about content we have not seen, without looking first; None if known.

    New content is the common case under load, so this path only inserts; if the event or the
    content is already known, nothing is written and `_ingest_known` handles it.
    """
    values = _new_submission(platform=platform, event=event, inline_files=inline_files)
    try:
        if connection.vendor == "postgresql" and SINGLE_STATEMENT_INGEST:
            if connection.in_atomic_block:
                with transaction.atomic():  # a savepoint, so a unique violation leaves the caller usable
                    ids = _insert_submission_in_one_statement(values)
            else:
                ids = _insert_submission_in_one_statement(values)
        else:
            ids = _insert_submission_orm(values)
    except IntegrityError:
        for name in _staged_names(values):  # inline uploads staged for a row that was not written
            staged_delete(name)
        return None
    submission_id, case_id = ids
    submission_enqueue_on_commit(submission_id=submission_id)
    return IngestResult(submission_id, case_id, created=True, updated=False, duplicate=False)


def _materialize(submission: Submission) -> None:
    """Write what a locked submission's intake describes, and clear the intake."""
    intake = submission.intake
    at = submission.created_at
    # A case per media entry.
    case_values = _provisional_case_fields(
        countries=submission.audience_countries, regions=submission.audience_regions,
        views=submission.views, shares=submission.shares,
    )  # fmt: skip
    first = Case.objects.filter(pk=submission.case_id).first()  # written at ingest without sequences
    if first is None:
        first = Case(pk=submission.case_id, **case_values)
        first.save(force_insert=True)
    cases = [first, *Case.objects.bulk_create([Case(**case_values) for _ in intake["media"][1:]])]
    try:
        with transaction.atomic():
            SubmissionEvent.objects.create(
                platform_id=submission.platform_id, event_id=submission.first_event_id,
                submission=submission, kind=SubmissionEventKind.CREATED, payload=intake["event"],
                received_at=at,
            )  # fmt: skip
    except IntegrityError:
        # The platform reused an update's event id for this other content. The webhook does not
        # look that up (it only inserts): the report is kept rather than lost as a "replay", the
        # update keeps the id, and this submission's fields hold what its event said.
        logger.warning("submission %s: its first event id was already an update's", submission.pk)
    SubmissionMedia.objects.bulk_create(
        [
            SubmissionMedia(**media, submission=submission, case=case)
            for media, case in zip(intake["media"], cases, strict=True)
        ]
    )
    ReachSample.objects.bulk_create(
        [_reach_sample(case=case, submission=submission, at=at) for case in cases]
    )
    submission.intake = None
    Submission.objects.filter(pk=submission.pk).update(intake=None)


@transaction.atomic
def submission_materialize(*, submission_id: int) -> bool:
    """Write the cases, media entries, event and reach sample a new submission's intake holds.

    The webhook writes only the submission (its hot path); the worker calls this before it
    fetches anything, and an update about the same content calls it first too. Idempotent:
    returns False when there was nothing left to write.
    """
    submission = Submission.objects.select_for_update().filter(pk=submission_id, intake__isnull=False).first()
    if submission is None:
        return False
    _materialize(submission)
    return True


@transaction.atomic
def _ingest_known(*, platform, event: dict[str, Any]) -> IngestResult | None:
    """Handle a replayed event or a new event about known content; None if neither is known."""
    now = timezone.now()
    event_id = event["event_id"]
    known = submission_for_event(platform_id=platform.pk, event_id=event_id)
    if known is not None:
        return IngestResult(known.pk, known.case_id, created=False, updated=False, duplicate=True)
    content = event["content"]
    submission = (
        Submission.objects.select_for_update().filter(platform=platform, content_id=content["id"]).first()
    )
    if submission is None:
        return None
    if submission.intake is not None:
        _materialize(submission)  # so the update finds its cases and the time series stays in order
    # A new event about content we have: update it, keep the event as history. Its media and
    # audience stay as first reported (they decide the case); the event records any change.
    _apply_content(submission, content, event)
    submission.save()
    SubmissionEvent.objects.create(
        platform=platform, event_id=event_id, submission=submission,
        kind=SubmissionEventKind.UPDATED, payload=event,
    )  # fmt: skip
    if event.get("reach"):
        case_ids = submission.media.values_list("case_id", flat=True)
        for case in _locked_cases(case_ids):
            _case_recount(case=case, at=now, submission=submission)
    return IngestResult(submission.pk, submission.case_id, created=False, updated=True, duplicate=False)


def submission_ingest(
    *, platform, event: dict[str, Any], inline_files: dict[str, UploadedFile] | None = None
) -> IngestResult:
    """Record a validated webhook event: create, update or recognise a replay of a submission.

    Two deliveries of the same event (or two first events about the same content) may race;
    the loser hits a unique constraint and, on the next try, finds the winner's rows.
    """
    for _attempt in range(3):
        result = _ingest_new(platform=platform, event=event, inline_files=inline_files or {})
        if result is not None:
            return result
        result = _ingest_known(platform=platform, event=event)
        if result is not None:
            return result
    raise RuntimeError("could not record the event: conflicting writes kept winning")


# Processing ------------------------------------------------------------------------------------


def _copy_hashing(src: BinaryIO, dest: BinaryIO, *, max_bytes: int) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := src.read(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            raise ResponseTooLarge(f"the file is over the {max_bytes}-byte cap")
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
        result = outbound_download(
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
    (see triage/clustering.py), else the media item itself.
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
        _locked_cases([provisional.pk])
        provisional.media_item_id = case_media_id
        provisional.save(update_fields=["media_item", "updated_at"])
        target = provisional
    else:
        locked = {c.pk: c for c in _locked_cases([provisional.pk, target.pk])}
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
    _case_recount(case=target, at=now, submission=sm.submission)
    if provisional.pk != target.pk:
        _case_recount(case=provisional, at=now, submission=None)
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
    return min(5 * 2 ** max(attempt - 1, 0), 600)


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
    with lease_heartbeat(
        Submission.objects, pk=submission_id, field="claimed_at", token=claimed_at
    ) as lease:
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
        except OutboundError as exc:
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
