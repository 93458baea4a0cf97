"""Reads for decision callbacks: the body platforms receive, a case's submissions, dead letters."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from triage.models import Case, Submission, SubmissionEvent
from triage.policy.models import Decision

from .models import Delivery, DeliveryState


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

    A submission belongs to the case when one of its media entries does, or when its primary
    case is the case or one merged into it.
    """
    ids = case_ids_merged_into(case_id=case_id)
    return (
        Submission.objects.filter(Q(media__case_id__in=ids) | Q(case_id__in=ids))
        .distinct()
        .select_related("platform")
        .order_by("platform_id", "pk")
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def decision_body(*, decision: Decision, submission: Submission | None = None) -> dict:
    """Return the body platforms receive for a decision (callback and status URL alike).

    With a submission, `content_id` and `event_ids` name that platform's content and every event
    it sent about it (oldest first); without one they are null and empty.
    """
    event_ids: list[str] = []
    if submission is not None:
        event_ids = list(
            SubmissionEvent.objects.filter(submission=submission)
            .order_by("received_at", "pk")
            .values_list("event_id", flat=True)
        )
    supersedes = decision.supersedes.decision_id if decision.supersedes_id else None
    return {
        "type": "decision",
        "decision_id": str(decision.decision_id),
        "case_id": decision.case_id,
        "content_id": submission.content_id if submission is not None else None,
        "event_ids": event_ids,
        "phase": decision.phase,
        "phase_reason": decision.phase_reason or {},
        "verdict": decision.verdict,
        "actions": decision.actions,
        "policy_version": decision.policy_version.version if decision.policy_version_id else None,
        "decided_by": decision.decided_by,
        "notes": decision.notes,
        # Extensions (added, never renamed): when it was decided, which decision it replaces,
        # and whether it is still the case's current decision.
        "issued_at": _iso(decision.created_at),
        "supersedes": str(supersedes) if supersedes else None,
        "is_current": decision.is_current,
    }


def case_current_decision(*, case_id: int) -> Decision | None:
    return (
        Decision.objects.select_related("policy_version", "supersedes")
        .filter(case_id=case_id, is_current=True)
        .first()
    )


def deliveries_dead(
    *, platform_id: int | None = None, case_id: int | None = None, since: datetime | None = None
) -> QuerySet[Delivery]:
    """Return the dead letters moderators can retry, newest first."""
    qs = Delivery.objects.filter(state=DeliveryState.DEAD).select_related("platform", "decision")
    if platform_id is not None:
        qs = qs.filter(platform_id=platform_id)
    if case_id is not None:
        qs = qs.filter(decision__case_id=case_id)
    if since is not None:
        qs = qs.filter(dead_at__gte=since)
    return qs.order_by("-dead_at", "-pk")


def deliveries_due(*, now: datetime, limit: int = 500) -> list[int]:
    """Return the ids of pending deliveries whose next attempt is due, oldest due first."""
    return list(
        Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def deliveries_for_decision(*, decision_id) -> QuerySet[Delivery]:
    return Delivery.objects.filter(decision__decision_id=decision_id).select_related("platform")
