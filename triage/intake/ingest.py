"""Ingest: a platform's event becomes one submission row, and a worker writes what it describes.

`submission_ingest` records a webhook event as one submission row in the "to process" state,
holding the event and its media entries as its `intake` and the id reserved for its case, and
enqueues `process_submission` on commit. The task first calls `submission_materialize` (one
provisional case per media entry, the media entries, the event, the reach sample), then fetches
(triage/intake/fetch.py). A later event about content already received (a repeat report) is
recorded the same way, as one row: its SubmissionEvent, left for a worker to fold into the
submission and its cases with the rest of its burst (triage/intake/folds.py).
"""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import psycopg
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from triage.models import (
    Case,
    ReachSample,
    ReportFoldDue,
    Submission,
    SubmissionEvent,
    SubmissionEventKind,
    SubmissionMedia,
    SubmissionState,
)

from .publisher import (
    report_fold_publish_soon,
    report_folds_publish,
    submission_publish_soon,
    submissions_publish,
)
from .reach import reach_sample_for
from .selectors import submission_for_event
from .storage import staged_delete, staged_save

logger = logging.getLogger(__name__)


# On PostgreSQL, every event is recorded in one statement (see _record_statement); elsewhere (the
# embedded SQLite mode) through the ORM. Tests flip this to cover both.
SINGLE_STATEMENT_INGEST = True


@dataclass(frozen=True)
class IngestResult:
    submission_id: int
    case_id: int
    created: bool  # a new submission
    updated: bool  # a new event about content we already had
    duplicate: bool  # an event_id we had already received: nothing changed


@dataclass(frozen=True)
class _Recorded:
    """What recording an event did: "created", "updated" (a later report), "duplicate" (a
    replayed first event) or "replayed" (a replayed later report)."""

    outcome: str
    submission_id: int
    case_id: int
    fold_scheduled: bool  # this report scheduled its submission's next fold: publish it


def _audience_key(countries: list[str]) -> str:
    return ",".join(countries)


def submission_enqueue_on_commit(*, submission_id: int) -> None:
    """Enqueue processing once the submission is committed; a broker failure is left to the sweeper.

    With a broker, the web process's publishing thread sends it (triage/intake/publisher.py), so the
    request does not wait for the broker. Without one (tasks run eagerly), it runs right here.
    """
    # the tasks module imports this one
    from .tasks import process_submission

    if process_submission.app.conf.task_always_eager:
        transaction.on_commit(lambda: submissions_publish(submission_ids=[submission_id]))
    else:
        transaction.on_commit(lambda: submission_publish_soon(submission_id=submission_id))


def report_fold_enqueue_on_commit(*, submission_id: int) -> None:
    """Publish the fold of a submission's later reports once committed, REPORT_FOLD_SECONDS later.

    Called only by the report that scheduled the fold (see ReportFoldDue): the rest of a burst
    is folded by the same task. Without a broker the fold runs at once on commit.
    """
    # the tasks module imports this one
    from .tasks import fold_reports

    if fold_reports.app.conf.task_always_eager:
        transaction.on_commit(lambda: report_folds_publish(submission_ids=[submission_id], countdown=0))
    else:
        transaction.on_commit(lambda: report_fold_publish_soon(submission_id=submission_id))


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
            ("author", content.get("author")),
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


def _ingest_orm(*, platform, event: dict[str, Any], values: dict[str, Any]) -> _Recorded | None:
    """Record the event through the ORM (SQLite, or when tests ask); None when a race was lost."""
    event_id, content_id = event["event_id"], event["content"]["id"]
    with transaction.atomic():
        first = (
            Submission.objects.filter(platform=platform, first_event_id=event_id)
            .values_list("pk", "case_id")
            .first()
        )
        if first is not None:
            return _Recorded("duplicate", *first, fold_scheduled=False)
        known = (
            Submission.objects.filter(platform=platform, content_id=content_id)
            .values_list("pk", "case_id")
            .first()
        )
        try:
            with transaction.atomic():  # a savepoint: a lost race leaves the transaction usable
                if known is None:
                    return _Recorded("created", *_insert_submission_orm(values), fold_scheduled=False)
                SubmissionEvent.objects.create(
                    platform=platform, event_id=event_id, submission_id=known[0],
                    kind=SubmissionEventKind.UPDATED, payload=values["intake"]["event"],
                    received_at=values["created_at"], folded_at=None,
                )  # fmt: skip
        except IntegrityError:
            if known is None:
                return None  # the same content or first event just written by another request
            return _Recorded("replayed", *known, fold_scheduled=False)
        _due, scheduled = ReportFoldDue.objects.get_or_create(
            submission_id=known[0], defaults={"due_at": values["created_at"] + _fold_delay()}
        )
        return _Recorded("updated", *known, fold_scheduled=scheduled)


def _fold_delay() -> timedelta:
    return timedelta(seconds=settings.REPORT_FOLD_SECONDS)


@functools.cache
def _record_statement() -> str:
    """The one statement that records any event: a new submission, a later report, or a replay.

    Every CTE sees the same snapshot. `dup`: the event id is a submission's first event (a
    replay). `known`: otherwise, the content is known, so the event is a later report: one
    event row, folded by a worker later (triage/intake/folds.py), and the fold's schedule row
    if there is none (`scheduled` says whether this report made it, i.e. must publish the fold).
    Otherwise `created`: the new submission, as before. A race lost to a concurrent first
    event (ON CONFLICT DO NOTHING) returns no row: the caller runs the statement again and
    then sees the winner's row.
    """
    quote = connection.ops.quote_name
    columns = [(attname, field) for attname, field in _columns(Submission)]
    column_list = ", ".join(
        quote(Submission._meta.get_field(a).column) for a, _f in [*columns, ("case_id", None)]
    )
    # Typed placeholders: a parameter in INSERT … SELECT has no column to take its type from.
    placeholders = ", ".join(f"%({a})s::{f.db_type(connection)}" for a, f in columns)
    sub, event, due = (quote(m._meta.db_table) for m in (Submission, SubmissionEvent, ReportFoldDue))
    case_table = Case._meta.db_table
    # Only identifiers from model metadata go into the text.
    return f"""
WITH dup AS (
    SELECT id, case_id FROM {sub}
    WHERE platform_id = %(platform_id)s::bigint AND first_event_id = %(first_event_id)s::varchar
), known AS (
    SELECT id, case_id FROM {sub}
    WHERE platform_id = %(platform_id)s::bigint AND content_id = %(content_id)s::varchar
      AND NOT EXISTS (SELECT 1 FROM dup)
), created AS (
    INSERT INTO {sub} ({column_list})
    SELECT {placeholders}, nextval(pg_get_serial_sequence('{case_table}', 'id'))
    WHERE NOT EXISTS (SELECT 1 FROM dup) AND NOT EXISTS (SELECT 1 FROM known)
    ON CONFLICT DO NOTHING
    RETURNING id, case_id
), reported AS (
    INSERT INTO {event} (platform_id, event_id, submission_id, kind, payload, received_at, folded_at)
    SELECT %(platform_id)s::bigint, %(first_event_id)s::varchar, known.id, 'updated',
           %(intake)s::jsonb -> 'event', %(created_at)s::timestamptz, NULL
    FROM known
    ON CONFLICT DO NOTHING
    RETURNING submission_id
), scheduled AS (
    INSERT INTO {due} (submission_id, due_at)
    SELECT submission_id, %(fold_due_at)s::timestamptz FROM reported
    ON CONFLICT DO NOTHING
    RETURNING submission_id
)
SELECT 'created', id, case_id, false FROM created
UNION ALL SELECT 'duplicate', id, case_id, false FROM dup
UNION ALL SELECT CASE WHEN EXISTS (SELECT 1 FROM reported) THEN 'updated' ELSE 'replayed' END,
                 id, case_id, EXISTS (SELECT 1 FROM scheduled)
FROM known
"""  # noqa: S608


def warm() -> None:
    """Build what the first recorded event would (web start-up, config/warmup.py)."""
    # the tasks module imports this one
    from .tasks import process_submission

    process_submission.app.finalize(auto=True)  # the Celery app's task registry, built on first use
    if connection.vendor == "postgresql":
        _record_statement()
    _defaults(Submission)
    _json_columns(Submission)


def _ingest_in_one_statement(values: dict[str, Any]) -> _Recorded | None:
    """Record the event in one prepared PostgreSQL statement (see _record_statement).

    The webhook's hot path for new content and later reports alike: one round trip, no
    failed insert, no rollback, no BEGIN or COMMIT of our own. None when a race was lost.
    """
    params = _insert_params(Submission, values)
    params["fold_due_at"] = values["created_at"] + _fold_delay()
    # Django's cursor binds values into the text client-side; a psycopg Cursor on the same
    # connection binds them server-side, which is what lets PostgreSQL keep the statement prepared.
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(_record_statement(), params, prepare=True)
        row = cursor.fetchone()
    return _Recorded(*row) if row is not None else None


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
        [reach_sample_for(case=case, submission=submission, at=at) for case in cases]
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


def submission_ingest(
    *, platform, event: dict[str, Any], inline_files: dict[str, UploadedFile] | None = None
) -> IngestResult:
    """Record a validated webhook event: a new submission, a later report, or a replay.

    One statement on PostgreSQL whatever the event is (see _record_statement). A later report
    about known content is recorded as one event row; a worker folds it into the submission and
    its cases (triage/intake/folds.py), a burst of reports at a time. Two deliveries of the same
    event (or two first events about the same content) may race; the loser's statement writes
    nothing and, on the next try, finds the winner's rows.
    """
    values = _new_submission(platform=platform, event=event, inline_files=inline_files or {})
    recorded = None
    for _attempt in range(3):
        if connection.vendor == "postgresql" and SINGLE_STATEMENT_INGEST:
            if connection.in_atomic_block:
                with transaction.atomic():  # a savepoint: an error leaves the caller's transaction usable
                    recorded = _ingest_in_one_statement(values)
            else:
                recorded = _ingest_in_one_statement(values)
        else:
            recorded = _ingest_orm(platform=platform, event=event, values=values)
        if recorded is not None:
            break
    else:
        raise RuntimeError("could not record the event: conflicting writes kept winning")
    if recorded.outcome != "created":
        for name in _staged_names(values):  # inline uploads staged for a submission not written
            staged_delete(name)
    if recorded.outcome == "created":
        submission_enqueue_on_commit(submission_id=recorded.submission_id)
        return IngestResult(
            recorded.submission_id, recorded.case_id, created=True, updated=False, duplicate=False
        )
    if recorded.outcome == "updated":
        if recorded.fold_scheduled:
            report_fold_enqueue_on_commit(submission_id=recorded.submission_id)
        return IngestResult(
            recorded.submission_id, recorded.case_id, created=False, updated=True, duplicate=False
        )
    submission_id, case_id = recorded.submission_id, recorded.case_id
    if recorded.outcome == "replayed":  # the event id is known: it may be another content's report
        known = submission_for_event(platform_id=platform.pk, event_id=event["event_id"])
        if known is not None:
            submission_id, case_id = known.pk, known.case_id
    return IngestResult(submission_id, case_id, created=False, updated=False, duplicate=True)
