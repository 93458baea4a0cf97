"""Reads on cases and submissions."""

from __future__ import annotations

from django.db.models import QuerySet

from triage.models import Case, Submission, SubmissionEvent, SubmissionMedia


def case_resolve(*, case_id: int) -> Case | None:
    """Return the live case a (possibly merged) case id now stands for."""
    case = Case.objects.filter(pk=case_id).first()
    seen = set()
    while case is not None and case.merged_into_id is not None and case.pk not in seen:
        seen.add(case.pk)
        case = Case.objects.filter(pk=case.merged_into_id).first()
    return case


def submission_for_event(*, platform_id: int, event_id: str) -> Submission | None:
    """Return the submission an event (its first or any update) belongs to, or None."""
    # The first event is known from the submission row at once; its SubmissionEvent is written
    # by the worker a moment later (see triage.intake.ingest.submission_materialize).
    first = Submission.objects.filter(platform_id=platform_id, first_event_id=event_id).first()
    if first is not None:
        return first
    event = (
        SubmissionEvent.objects.select_related("submission")
        .filter(platform_id=platform_id, event_id=event_id)
        .first()
    )
    return event.submission if event else None


def case_ids_merged_into(*, case_id: int) -> list[int]:
    """Return the case and every case merged into it (directly or through others)."""
    ids = [case_id]
    frontier = [case_id]
    while frontier:
        frontier = list(
            Case.objects.filter(merged_into_id__in=frontier).exclude(pk__in=ids).values_list("pk", flat=True)
        )
        ids.extend(frontier)
    return ids


def case_submissions(*, case_id: int) -> QuerySet[Submission]:
    """Return every submission of a live case, on every platform.

    A submission belongs to the case when one of its media entries belongs to the case or to one
    merged into it. (Its primary case is its first entry's case and moves with it on a merge, so
    it adds nothing.) A semi-join on the entries' case index: an OR across the join would make
    PostgreSQL scan every submission.
    """
    ids = case_ids_merged_into(case_id=case_id)
    entries = SubmissionMedia.objects.filter(case_id__in=ids).values("submission_id")
    return Submission.objects.filter(pk__in=entries).select_related("platform").order_by("platform_id", "pk")
