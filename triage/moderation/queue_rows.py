"""What each queue row shows, worked out in Python once per row rather than in the template.

The queue renders 50 rows on every load (50,000 open cases: docs/benchmarks.md). Each `{% url %}`,
`|date`, `|floatformat` and filter chain in a Django template costs a variable resolution and a
call per use; computing the row's strings here (the same formats the template used) leaves the
template plain lookups, which halved its rendering time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.dateparse import parse_datetime

from .templatetags.dashboard import action_summary


@dataclass
class QueueRow:
    """The strings of one queue row (the template escapes each)."""

    url: str
    phase_country: str = ""  # "SK · until Thu 22:00 UTC"
    deadline_iso: str = ""
    deadline_time: str = ""
    verdict: str = ""
    verdict_confidence: str = ""
    decision: str = ""
    locked_by: str = ""
    assigned_to: str = ""
    what_meta: str = ""  # "videoshare · synthetic media · sk"


def _window_end(value) -> str:
    when = parse_datetime(value) if isinstance(value, str) else value
    if when is None:
        return str(value)
    return dateformat.format(timezone.localtime(when), "D H:i")


def queue_rows_prepare(*, cases: list[Any], url_pattern: str | None = None) -> None:
    """Set `case.row` (a QueueRow) on each case of a page; `case.summary` must be set already.

    The cases are `Case` rows with the queue's annotations (selectors.queue_page), which the
    model's type does not know: hence `Any`.
    """
    # One reverse for the page: every case URL is the same pattern with its id.
    pattern = url_pattern or reverse("dashboard:case", args=[0]).replace("/0/", "/{}/")
    now = timezone.now()
    for case in cases:
        row = QueueRow(url=pattern.format(case.pk))
        reason = case.decision_phase_reason or {}
        if case.decision_phase and reason.get("country"):
            row.phase_country = str(reason["country"])
            if reason.get("window_end"):
                row.phase_country += f" · until {_window_end(reason['window_end'])} UTC"
        if case.decision_deadline and case.status != "decided":
            local = timezone.localtime(case.decision_deadline)
            row.deadline_iso, row.deadline_time = local.isoformat(), f"{local:%H:%M} UTC"
        if case.verdict_label:
            row.verdict = str(case.verdict_label).replace("_", " ")
            row.verdict_confidence = floatformat(case.verdict_confidence, 2)
        row.decision = action_summary(case.decision_actions)
        lock = getattr(case, "review_lock", None)
        if lock is not None and lock.expires_at > now:
            row.locked_by = lock.user.get_username()
        assignment = getattr(case, "assignment", None)
        if assignment is not None:
            row.assigned_to = assignment.user.get_username()
        summary = case.summary
        meta = ", ".join(summary.platforms) or "—"
        if summary.reasons:
            meta += " · " + ", ".join(r.replace("_", " ") for r in summary.reasons)
        if summary.languages:
            meta += " · " + ", ".join(summary.languages)
        row.what_meta = meta
        case.row = row
