"""How the night is going: the numbers behind the overview page, in a handful of aggregate queries.

Open cases are live cases (not merged) that are not decided. Each figure is one GROUP BY over
an index or a bounded time range, so the page stays fast at 50,000 cases (bench/overview/).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, Min, Q
from django.db.models.fields.json import KT
from django.db.models.functions import TruncHour

from triage.decisions.models import Decision
from triage.evidence.models import CheckResult
from triage.models import Case, CaseStatus

from .overview_sources import overview_sources_read

NEAR_DEADLINE = timedelta(minutes=30)
AGE_BUCKETS = (
    ("< 15 min", timedelta(minutes=15)),
    ("15–60 min", timedelta(hours=1)),
    ("1–4 h", timedelta(hours=4)),
    ("4–24 h", timedelta(hours=24)),
    ("> 24 h", None),
)


@dataclass
class Overview:
    at: datetime
    open_total: int = 0
    by_country: list[tuple[str, int]] = field(default_factory=list)
    by_phase: list[tuple[str, int]] = field(default_factory=list)
    by_verdict: list[tuple[str, int]] = field(default_factory=list)
    decisions_per_hour: list[tuple[str, int]] = field(default_factory=list)
    decisions_24h: int = 0
    age_buckets: list[tuple[str, int]] = field(default_factory=list)
    oldest_open: datetime | None = None
    holds_overdue: int = 0
    holds_near_deadline: int = 0
    holds_soonest: list[Decision] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    sources: dict[str, Any] = field(default_factory=dict)


def _open_cases():
    return Case.objects.filter(merged_into__isnull=True).exclude(status=CaseStatus.DECIDED)


def _open_decisions():
    return Decision.objects.filter(is_current=True, case__merged_into__isnull=True).exclude(
        case__status=CaseStatus.DECIDED
    )


def _by_country(limit: int = 15) -> list[tuple[str, int]]:
    if connection.vendor != "postgresql":  # the embedded SQLite mode: a demo's handful of cases
        counts = Counter(
            country
            for countries in _open_cases().values_list("audience_countries", flat=True)
            for country in countries or []
        )
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    # audience_countries is a JSON list: unnest it in the database rather than in Python.
    sql = f"""
        SELECT country, count(*) FROM {Case._meta.db_table},
               jsonb_array_elements_text(audience_countries) AS country
        WHERE merged_into_id IS NULL AND status <> %s
        GROUP BY country ORDER BY count(*) DESC, country LIMIT %s
    """  # noqa: S608 - the table name is the model's; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [CaseStatus.DECIDED, limit])
        return [(country, count) for country, count in cursor.fetchall()]


def _checks_in_python(at: datetime) -> list[tuple]:
    """The embedded SQLite mode has no percentile_cont: the same rows, computed here."""
    durations: dict[str, list[float]] = defaultdict(list)
    failed: Counter[str] = Counter()
    rows = CheckResult.objects.filter(created_at__gte=at - timedelta(hours=24)).values_list(
        "kind", "state", "duration_ms"
    )
    for kind, state, duration in rows:
        durations[kind].append(duration or 0)
        failed[kind] += state == "failed"

    def percentile(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))]

    return [
        (kind, len(values), failed[kind], percentile(values, 0.5), percentile(values, 0.95))
        for kind, values in sorted(durations.items())
    ]


def _checks(at: datetime) -> list[dict[str, Any]]:
    if connection.vendor != "postgresql":
        return _checks_rows(_checks_in_python(at))
    sql = f"""
        SELECT kind, count(*) AS runs,
               count(*) FILTER (WHERE state = 'failed') AS failed,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,
               percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95
        FROM {CheckResult._meta.db_table}
        WHERE created_at >= %s
        GROUP BY kind ORDER BY kind
    """  # noqa: S608 - the table name is the model's; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [at - timedelta(hours=24)])
        rows = cursor.fetchall()
    return _checks_rows(rows)


def _checks_rows(rows) -> list[dict[str, Any]]:
    return [
        {
            "kind": kind,
            "runs": runs,
            "failed": failed,
            "failure_rate": failed / runs if runs else 0.0,
            "p50_ms": p50,
            "p95_ms": p95,
        }
        for kind, runs, failed, p50, p95 in rows
    ]


def overview(*, at: datetime) -> Overview:
    result = Overview(at=at)
    # One conditional count per age bucket, all in one aggregate (aliases age_0 … age_4).
    bounds = [timedelta(0)] + [limit for _, limit in AGE_BUCKETS[:-1]]
    ages = {}
    for index, (lower, (_, upper)) in enumerate(zip(bounds, AGE_BUCKETS, strict=True)):
        older = Q(created_at__lte=at - lower)
        ages[f"age_{index}"] = Count("id", filter=older & Q(created_at__gt=at - upper) if upper else older)
    totals = _open_cases().aggregate(total=Count("id"), oldest=Min("created_at"), **ages)
    result.open_total, result.oldest_open = totals["total"], totals["oldest"]
    result.age_buckets = [(label, totals[f"age_{index}"]) for index, (label, _) in enumerate(AGE_BUCKETS)]
    result.by_country = _by_country()

    # Phase and verdict from the current decision (its verdict snapshot), in one GROUP BY.
    phases: dict[str, int] = {}
    verdicts: dict[str, int] = {}
    decided = 0
    for row in _open_decisions().values("phase", label=KT("verdict__label")).annotate(n=Count("id")):
        phases[row["phase"]] = phases.get(row["phase"], 0) + row["n"]
        verdicts[row["label"] or "no verdict"] = verdicts.get(row["label"] or "no verdict", 0) + row["n"]
        decided += row["n"]
    if result.open_total > decided:
        phases["not decided yet"] = result.open_total - decided
        verdicts["no verdict"] = verdicts.get("no verdict", 0) + result.open_total - decided
    result.by_phase = sorted(phases.items(), key=lambda item: -item[1])
    result.by_verdict = sorted(verdicts.items(), key=lambda item: -item[1])

    since = (at - timedelta(hours=23)).replace(minute=0, second=0, microsecond=0)
    hourly = {
        row["hour"]: row["n"]
        for row in Decision.objects.filter(created_at__gte=since)
        .annotate(hour=TruncHour("created_at"))
        .values("hour")
        .annotate(n=Count("id"))
    }
    hours = [since + timedelta(hours=n) for n in range(24)]
    result.decisions_per_hour = [(f"{hour:%H}h", hourly.get(hour, 0)) for hour in hours]
    result.decisions_24h = sum(hourly.values())

    holds = _open_decisions().filter(review_deadline__isnull=False)
    counts = holds.aggregate(
        overdue=Count("id", filter=Q(review_deadline__lte=at)),
        near=Count("id", filter=Q(review_deadline__gt=at, review_deadline__lte=at + NEAR_DEADLINE)),
    )
    result.holds_overdue, result.holds_near_deadline = counts["overdue"], counts["near"]
    result.holds_soonest = list(
        holds.filter(review_deadline__lte=at + NEAR_DEADLINE)
        .select_related("case")
        .order_by("review_deadline")[:10]
    )
    result.checks = _checks(at)
    result.sources = overview_sources_read(at=at)
    return result
