"""Who reported a case, and for what: the report inputs behind "never released on absence of evidence".

Each webhook event is one report (a platform sends an event per report it receives about the same
content; the submission keeps only the latest source and reason, the events keep them all).
"""

from __future__ import annotations

from dataclasses import dataclass

from triage.models import ReportReason, ReportSource, Submission, SubmissionEvent

ELECTION_REASONS = frozenset({ReportReason.VOTER_SUPPRESSION, ReportReason.ELECTION_MISINFORMATION})
TRUSTED_SOURCES = frozenset({ReportSource.TRUSTED_FLAGGER, ReportSource.AUTHORITY})


@dataclass(frozen=True)
class ReportInputs:
    election_report_trusted: bool  # a trusted flagger or an authority reported an election reason
    election_user_reports: int  # user reports for an election reason, every event counted


def reports_for_submissions(
    submissions: list[Submission], *, without: tuple[int, list[str]] | None = None
) -> ReportInputs:
    """Count the election reports of a case's submissions (their events, and the submissions).

    `without`: (submission id, event ids) to leave out: the count before a fold took them in.
    """
    seen: set[tuple[int, str, str, str]] = set()
    reports: list[tuple[str, str]] = []
    events = SubmissionEvent.objects.filter(submission__in=[s.pk for s in submissions])
    if without is not None:
        events = events.exclude(submission_id=without[0], event_id__in=without[1])
    payloads = events.values_list("submission_id", "event_id", "payload")
    for submission_id, event_id, payload in payloads:
        report = (payload or {}).get("report") or {}
        source, reason = report.get("source", ""), report.get("reason", "")
        seen.add((submission_id, event_id, source, reason))
        reports.append((source, reason))
    # A submission whose events are not written yet (the worker writes its first event) still counts once.
    with_events = {key[0] for key in seen}
    reports.extend((s.report_source, s.report_reason) for s in submissions if s.pk not in with_events)
    trusted = any(src in TRUSTED_SOURCES and why in ELECTION_REASONS for src, why in reports)
    users = sum(1 for src, why in reports if src == ReportSource.USER_REPORT and why in ELECTION_REASONS)
    return ReportInputs(election_report_trusted=trusted, election_user_reports=users)
