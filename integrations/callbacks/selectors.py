"""Reads for decision callbacks: the body platforms receive, a case's submissions, dead letters."""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.db.models import QuerySet

from integrations.platforms.models import Platform
from triage.models import Case, Submission, SubmissionEvent, SubmissionMedia
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

    A submission belongs to the case when one of its media entries belongs to the case or to one
    merged into it. (Its primary case is its first entry's case and moves with it on a merge, so
    it adds nothing.) A semi-join on the entries' case index: an OR across the join would make
    PostgreSQL scan every submission.
    """
    ids = case_ids_merged_into(case_id=case_id)
    entries = SubmissionMedia.objects.filter(case_id__in=ids).values("submission_id")
    return Submission.objects.filter(pk__in=entries).select_related("platform").order_by("platform_id", "pk")


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
    appeal = _appeal_of(decision, submission)
    body = {
        "type": "appeal_decision" if appeal else "decision",
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
    if appeal:
        body["appeal"] = appeal
    return body


def _appeal_of(decision: Decision, submission: Submission | None) -> dict | None:
    """The appeal a decision resolved, as the `appeal_decision` body carries it (codes and ids only).

    Every platform carrying the media gets the outcome; only the platform that forwarded the
    appeal gets its own `event_id` back (`yours`: true), the others learn no other platform's ids.
    """
    from triage.dashboard.appeals import appeal_for_decision

    appeal = appeal_for_decision(decision=decision)
    if appeal is None:
        return None
    yours = submission is not None and submission.platform_id == appeal.platform_id
    return {
        "appeal_id": appeal.pk,
        "yours": yours,
        "event_id": appeal.event_id if yours else None,
        "appellant": appeal.appellant,
        "outcome": appeal.outcome,
        "appealed_decision_id": str(appeal.appealed_decision.decision_id),
        "decided_at": _iso(appeal.decided_at),
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


# Current decisions that some recently attached submission of their case has no delivery of.
#
# Why it is cheap, run every minute: it starts from the media entries attached in the window
# (a range scan of the partial index `submission_media_attached_at`: one day of re-uploads, not
# the whole table), climbs each entry's case up any `merged_into` chain (the partial index
# `case_merged_into_set`; usually no step), then joins each live case to its current decision
# (the case_id index: a probe per case, or one ordered pass when the planner finds that cheaper),
# the submission and platform by primary key, and tests "no delivery yet" with an index probe of
# callbacks_delivery per row left (its decision_id and (decision, submission) indexes). Nothing
# is read per past attachment or per delivered submission outside the window, so the cost
# follows the day's attachments; LIMIT bounds the work one sweep hands to the fan-out. EXPLAINed
# on PostgreSQL with 414k media entries, 200k decisions and 407k deliveries: ~900 entries in the
# window, 12 ms.
#
# A submission counts for a case when one of its media entries belongs to the case or to a case
# merged into it: case_submissions' rule. (Its other rule, the submission's primary case, adds
# nothing here: the primary case is its first entry's case and moves with it on a merge.)
# Platforms the fan-out skips (disabled, no callback URL: they poll) are skipped here too, or
# their submissions would be found again at every sweep.
_UNDELIVERED_DECISIONS_SQL = """
WITH RECURSIVE belongs (submission_id, case_id) AS (
    SELECT sm.submission_id, sm.case_id
    FROM {submission_media} sm
    WHERE sm.fetched_at >= %s AND sm.fetched_at <= %s
    UNION
    SELECT b.submission_id, c.merged_into_id
    FROM belongs b JOIN {case} c ON c.id = b.case_id
    WHERE c.merged_into_id IS NOT NULL
)
SELECT DISTINCT d.id
FROM belongs b
JOIN {case} c ON c.id = b.case_id AND c.merged_into_id IS NULL
JOIN {decision} d ON d.case_id = c.id AND d.is_current AND d.created_at <= %s
JOIN {submission} s ON s.id = b.submission_id
JOIN {platform} p ON p.id = s.platform_id AND p.enabled AND p.callback_url <> ''
WHERE NOT EXISTS (
    SELECT 1 FROM {delivery} dl WHERE dl.decision_id = d.id AND dl.submission_id = b.submission_id
)
ORDER BY d.id
LIMIT %s
"""


def decisions_with_undelivered_submissions(
    *, attached_since: datetime, settled_before: datetime, limit: int
) -> list[int]:
    """Return ids of current decisions some submission of their live case lacks a delivery of.

    Only submissions whose media was attached between `attached_since` and `settled_before`
    are looked at, and only decisions made before `settled_before`: younger ones are still in
    the hands of their own on-commit fan-out. At most `limit` ids, oldest decision first.
    """
    sql = _UNDELIVERED_DECISIONS_SQL.format(
        submission_media=SubmissionMedia._meta.db_table,
        case=Case._meta.db_table,
        decision=Decision._meta.db_table,
        submission=Submission._meta.db_table,
        platform=Platform._meta.db_table,
        delivery=Delivery._meta.db_table,
    )
    since, before = (connection.ops.adapt_datetimefield_value(t) for t in (attached_since, settled_before))
    with connection.cursor() as cursor:
        cursor.execute(sql, [since, before, before, limit])
        return [row[0] for row in cursor.fetchall()]
