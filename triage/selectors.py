"""Reads on cases and submissions."""

from __future__ import annotations

from .models import Case, MediaFetchState, Submission, SubmissionEvent


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
    # by the worker a moment later (see triage.services.submission_materialize).
    first = Submission.objects.filter(platform_id=platform_id, first_event_id=event_id).first()
    if first is not None:
        return first
    event = (
        SubmissionEvent.objects.select_related("submission")
        .filter(platform_id=platform_id, event_id=event_id)
        .first()
    )
    return event.submission if event else None


def case_decision(*, case: Case, submission: Submission | None = None) -> dict | None:
    """Return the case's current decision for platforms, or None while undecided.

    The same body the decision callback carries (integrations.callbacks.selectors.decision_body):
    with `submission`, its `content_id` and `event_ids` are that platform's.
    """
    from integrations.callbacks.selectors import case_current_decision, decision_body

    decision = case_current_decision(case_id=case.pk)
    return decision_body(decision=decision, submission=submission) if decision else None


def _media_entry(*, position: int, url: str, original_name: str, state: str, media_item, error: str) -> dict:
    return {
        "position": position,
        "url": url or None,
        "file": original_name or None if not url else None,
        "state": state,
        "media_type": media_item.media_type if media_item else None,
        "sha256": media_item.sha256 if media_item else None,
        "error": error or None,
    }


def _media_status(submission: Submission) -> list[dict]:
    if submission.intake is not None:  # not picked up by a worker yet: what the event listed
        return [
            _media_entry(
                position=m["position"],
                url=m["url"],
                original_name=m["original_name"],
                state=MediaFetchState.PENDING.value,
                media_item=None,
                error="",
            )  # fmt: skip
            for m in submission.intake["media"]
        ]
    return [
        _media_entry(
            position=m.position,
            url=m.url,
            original_name=m.original_name,
            state=m.state,
            media_item=m.media_item,
            error=m.error,
        )  # fmt: skip
        for m in submission.media.select_related("media_item")
    ]


def submission_status(*, submission: Submission) -> dict:
    """Describe a submission's processing for the platform that sent it."""
    case = case_resolve(case_id=submission.case_id)
    return {
        "submission_id": submission.pk,
        "content_id": submission.content_id,
        "case_id": case.pk if case else submission.case_id,
        "state": submission.state,
        "error": submission.error or None,
        "media": _media_status(submission),
        "decision": case_decision(case=case, submission=submission) if case else None,
    }
