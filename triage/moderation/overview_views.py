"""The overview page: open cases, decisions, queue age, deadlines, callbacks and check health, as charts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .overview_snapshot import overview_current
from .roles import user_is_lead
from .selectors import escalated_case_ids
from .svg import bar_chart_horizontal, bar_chart_vertical
from .views import moderator_required


@require_GET
@moderator_required
def overview_page(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    # The numbers come from the snapshot the beat task keeps fresh (overview_snapshot.py).
    numbers = overview_current(at=now)
    if numbers.holds_soonest and not user_is_lead(request.user):
        # The snapshot is everyone's; escalated cases (an overdue hold is one) are the leads'.
        # Read back from the snapshot, each hold is a dict (overview_snapshot._encode).
        holds: list[Any] = list(numbers.holds_soonest)
        listed = [hold["case_id"] for hold in holds]
        hidden = set(escalated_case_ids().filter(pk__in=listed).values_list("pk", flat=True))
        numbers.holds_soonest = [hold for hold in holds if hold["case_id"] not in hidden]
    charts = {
        "country": bar_chart_horizontal(numbers.by_country, title="Open cases by audience country"),
        "phase": bar_chart_horizontal(numbers.by_phase, title="Open cases by phase"),
        "verdict": bar_chart_horizontal(numbers.by_verdict, title="Open cases by verdict", color="#6941c6"),
        "age": bar_chart_horizontal(numbers.age_buckets, title="Queue age of open cases", color="#b54708"),
        "decisions": bar_chart_vertical(
            numbers.decisions_per_hour, title="Decisions per hour, last 24 hours"
        ),
        "check_failures": bar_chart_horizontal(
            [(row["kind"], round(100 * row["failure_rate"], 1)) for row in numbers.checks],
            title="Check failures in the last 24 hours (%)",
            color="#b42318",
        ),
        "check_latency": bar_chart_horizontal(
            [(row["kind"], row["p95_ms"] or 0) for row in numbers.checks],
            title="Check latency p95 in the last 24 hours (ms)",
            color="#027a48",
        ),
    }
    return render(
        request,
        "dashboard/overview.html",
        {"o": numbers, "charts": charts, "now": now, "refresh": settings.DASHBOARD_OVERVIEW_REFRESH_SECONDS},
    )
