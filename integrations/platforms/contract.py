"""The platform contract's outbound half: the decision body and the status reply.

What a platform receives is defined here, in one place: the body of every decision callback
(integrations/callbacks sends it) and the answer of the status endpoint, which carries the same
body. The inbound half (what a platform may send) is validation.py. Fields are a contract: extend,
never rename (docs/callbacks.md, docs/ingestion.md).
"""

from __future__ import annotations

from datetime import datetime

from triage.decisions.labels.speech import label_actions_with_audio
from triage.decisions.models import Decision
from triage.decisions.selectors import decision_current
from triage.intake.selectors import case_resolve
from triage.models import Case, MediaFetchState, Submission, SubmissionEvent
from triage.moderation.appeals import appeal_for_decision


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
    supersedes = decision.supersedes.decision_id if decision.supersedes is not None else None
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
        # Label actions gain `audio_disclosure_url` here: a signed URL that expires, so never stored.
        "actions": label_actions_with_audio(decision.actions),
        "policy_version": decision.policy_version.version if decision.policy_version is not None else None,
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


def case_decision(*, case: Case, submission: Submission | None = None) -> dict | None:
    """Return the case's current decision for platforms, or None while undecided.

    The same body the decision callback carries: with `submission`, its `content_id` and
    `event_ids` are that platform's.
    """
    decision = decision_current(case_id=case.pk)
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
