"""The overview's numbers as a stored snapshot: written by a beat task, read by the page.

`overview_snapshot_save` computes the numbers and replaces the snapshot; `overview_current`
returns the snapshot when it is fresh enough, else computes and stores one (the first page after
a quiet spell, or when the beat is not running). The snapshot is JSON: datetimes round-trip as
ISO strings and the soonest holds as small dicts, so templates read the same shape either way.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .models import OverviewSnapshot
from .overview import Overview, overview

NAME = "overview"
_DATETIMES = {"at", "oldest_open"}
_PAIRS = {"by_country", "by_phase", "by_verdict", "decisions_per_hour", "age_buckets"}


def _encode(numbers: Overview) -> dict:
    data = asdict(numbers) | {
        "holds_soonest": [
            {
                "case_id": d.case_id,
                "phase": d.phase,
                "phase_display": d.get_phase_display(),
                "review_deadline": d.review_deadline,
            }
            for d in numbers.holds_soonest
        ]
    }
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _when(value):
    return parse_datetime(value) if isinstance(value, str) else value


def _decode(data: dict) -> Overview:
    known = {f.name for f in fields(Overview)}
    values = {key: value for key, value in data.items() if key in known}
    for key in _DATETIMES:
        values[key] = _when(values.get(key))
    for key in _PAIRS:
        values[key] = [tuple(pair) for pair in values.get(key) or []]
    for hold in values.get("holds_soonest") or []:
        hold["review_deadline"] = _when(hold["review_deadline"])
    for source in (values.get("sources") or {}).values():
        for key, value in (source or {}).items():
            if isinstance(value, str) and (parsed := parse_datetime(value)) is not None:
                source[key] = parsed
    return Overview(**values)


def overview_snapshot_save(*, at: datetime | None = None) -> Overview:
    """Compute the numbers now and replace the stored snapshot; return them as the page reads them."""
    at = at or timezone.now()
    data = _encode(overview(at=at))
    OverviewSnapshot.objects.update_or_create(name=NAME, defaults={"computed_at": at, "data": data})
    return _decode(data)


def overview_current(*, at: datetime) -> Overview:
    """The stored numbers if computed within DASHBOARD_OVERVIEW_MAX_AGE_SECONDS, else fresh ones."""
    max_age = settings.DASHBOARD_OVERVIEW_MAX_AGE_SECONDS
    if max_age > 0:
        snapshot = OverviewSnapshot.objects.filter(
            name=NAME, computed_at__gte=at - timedelta(seconds=max_age)
        ).first()
        if snapshot is not None:
            return _decode(snapshot.data)
    return overview_snapshot_save(at=at)


@shared_task(name="moratorium.dashboard.overview_snapshot", ignore_result=True)
def overview_snapshot_task() -> None:
    overview_snapshot_save()
