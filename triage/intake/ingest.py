"""Ingest: a platform's event becomes one submission row, and a worker writes what it describes.

`submission_ingest` records a webhook event as one submission row in the "to process" state,
holding the event and its media entries as its `intake` and the id reserved for its case, and
enqueues `process_submission` on commit. The task first calls `submission_materialize` (one
provisional case per media entry, the media entries, the event, the reach sample), then fetches
(triage/intake/fetch.py). A new event about content already received updates it here.
"""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass
from typing import Any

import psycopg
from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from triage.models import (
    Case,
    ReachSample,
    Submission,
    SubmissionEvent,
    SubmissionEventKind,
    SubmissionMedia,
    SubmissionState,
)

from .publisher import submission_publish_soon, submissions_publish
from .reach import case_recount, cases_locked, reach_sample_for
from .selectors import submission_for_event
from .storage import staged_delete, staged_save

logger = logging.getLogger(__name__)


# On PostgreSQL, a first event is written in one statement (see _insert_submission_in_one_statement);
# elsewhere (the embedded SQLite mode) through the ORM. Tests flip this to cover both.
SINGLE_STATEMENT_INGEST = True


@dataclass(frozen=True)
class IngestResult:
    submission_id: int
    case_id: int
    created: bool  # a new submission
    updated: bool  # a new event about content we already had
    duplicate: bool  # an event_id we had already received: nothing changed


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
        for case in cases_locked(case_ids):
            case_recount(case=case, at=now, submission=submission)
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
