"""Time to first human and review-deadline breaches, per case, per country and per election.

Time to first human: from the case's creation (the first report) to the first decision a
moderator made on it. A breach: a review deadline that passed with nobody deciding (a
`DeadlineEscalation`). A case counts for each of its audience countries, and for each election
its decisions were made under (the phase's window: `phase_reason.election`).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Min
from django.utils import timezone

from triage.decisions.models import DecidedBy, Decision
from triage.models import Case

from .models import DeadlineEscalation


@dataclass
class CaseMetrics:
    minutes_to_first_human: float | None
    breaches: int


@dataclass
class GroupMetrics:
    name: str
    cases: int = 0
    decided_by_human: int = 0
    breaches: int = 0
    _minutes: list[float] = field(default_factory=list, repr=False)

    @property
    def median_minutes_to_first_human(self) -> float | None:
        return round(statistics.median(self._minutes), 1) if self._minutes else None


@dataclass
class Metrics:
    since: datetime
    by_country: list[GroupMetrics]
    by_election: list[GroupMetrics]


def case_metrics(*, case: Case) -> CaseMetrics:
    first = Decision.objects.filter(case=case, decided_by=DecidedBy.MODERATOR).aggregate(
        first=Min("created_at")
    )["first"]
    minutes = (first - case.created_at).total_seconds() / 60 if first else None
    return CaseMetrics(
        minutes_to_first_human=round(minutes, 1) if minutes is not None else None,
        breaches=DeadlineEscalation.objects.filter(case=case).count(),
    )


def review_metrics(*, since: datetime | None = None) -> Metrics:
    since = since or timezone.now() - timedelta(days=30)
    cases = {
        pk: (created, countries)
        for pk, created, countries in Case.objects.filter(merged_into__isnull=True, created_at__gte=since)
        .exclude(media_item__isnull=True)
        .values_list("pk", "created_at", "audience_countries")
    }
    first_human = dict(
        Decision.objects.filter(case_id__in=list(cases), decided_by=DecidedBy.MODERATOR)
        .values("case_id")
        .annotate(first=Min("created_at"))
        .values_list("case_id", "first")
    )
    breaches = dict(
        DeadlineEscalation.objects.filter(case_id__in=list(cases))
        .values("case_id")
        .annotate(n=Count("pk"))
        .values_list("case_id", "n")
    )
    elections: dict[int, set[str]] = defaultdict(set)
    for case_id, reason in Decision.objects.filter(case_id__in=list(cases)).values_list(
        "case_id", "phase_reason"
    ):
        name = (reason or {}).get("election")
        if name:
            elections[case_id].add(name)
    by_country: dict[str, GroupMetrics] = {}
    by_election: dict[str, GroupMetrics] = {}
    for case_id, (created, countries) in cases.items():
        minutes = (first_human[case_id] - created).total_seconds() / 60 if case_id in first_human else None
        groups = [by_country.setdefault(c, GroupMetrics(c)) for c in countries or ["—"]]
        groups += [by_election.setdefault(e, GroupMetrics(e)) for e in elections.get(case_id, ())]
        for group in groups:
            group.cases += 1
            group.breaches += breaches.get(case_id, 0)
            if minutes is not None:
                group.decided_by_human += 1
                group._minutes.append(minutes)
    return Metrics(
        since=since,
        by_country=sorted(by_country.values(), key=lambda g: g.name),
        by_election=sorted(by_election.values(), key=lambda g: g.name),
    )
