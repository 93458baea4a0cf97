"""Triage's metrics, read from the database at scrape time (config/metrics.py).

Totals are exposed as gauges of row counts (they can fall when old rows are purged), by the
labels an operator filters on: platform, state, check kind, verdict label, decision phase. The
platform label comes from stored submissions only, so its values are the registered platforms.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Avg, Count, Q
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from triage.decisions.models import Decision
from triage.evidence.models import CheckResult, Verdict

from .models import Submission

# Review deadlines this close count as "near" (the strictest hold's deadline is 30 minutes).
NEAR_DEADLINE = timedelta(minutes=30)


class TriageCollector:
    def collect(self):
        now = timezone.now()
        submissions = GaugeMetricFamily(
            "moratorium_submissions",
            "Webhook submissions accepted, by platform and processing state",
            labels=["platform", "state"],
        )
        for row in Submission.objects.values("platform__slug", "state").annotate(n=Count("id")):
            submissions.add_metric([row["platform__slug"], row["state"]], row["n"])
        yield submissions

        checks = GaugeMetricFamily(
            "moratorium_check_results",
            "Check results by check and state (failed: the failures)",
            labels=["check", "state"],
        )
        for row in CheckResult.objects.values("kind", "state").annotate(n=Count("id")):
            checks.add_metric([row["kind"], row["state"]], row["n"])
        yield checks

        latency = GaugeMetricFamily(
            "moratorium_check_duration_seconds_avg",
            "Mean duration of the checks finished in the last hour, by check",
            labels=["check"],
        )
        recent = CheckResult.objects.filter(
            finished_at__gte=now - timedelta(hours=1), duration_ms__isnull=False
        )
        for row in recent.values("kind").annotate(ms=Avg("duration_ms")):
            latency.add_metric([row["kind"]], (row["ms"] or 0) / 1000)
        yield latency

        verdicts = GaugeMetricFamily("moratorium_verdicts", "Verdicts fused, by label", labels=["label"])
        for row in Verdict.objects.values("label").annotate(n=Count("id")):
            verdicts.add_metric([row["label"]], row["n"])
        yield verdicts

        decisions = GaugeMetricFamily(
            "moratorium_decisions",
            "Decisions made, by who made them (policy or moderator) and the case's phase",
            labels=["decided_by", "phase"],
        )
        for row in Decision.objects.values("decided_by", "phase").annotate(n=Count("id")):
            decisions.add_metric([row["decided_by"], row["phase"]], row["n"])
        yield decisions

        holds = GaugeMetricFamily(
            "moratorium_reviews_due",
            "Current decisions waiting for a human, by review deadline: overdue, within 30 minutes, later",
            labels=["due"],
        )
        waiting = Decision.objects.filter(is_current=True, review_deadline__isnull=False).aggregate(
            overdue=Count("id", filter=Q(review_deadline__lt=now)),
            near=Count("id", filter=Q(review_deadline__gte=now, review_deadline__lt=now + NEAR_DEADLINE)),
            later=Count("id", filter=Q(review_deadline__gte=now + NEAR_DEADLINE)),
        )
        for due in ("overdue", "near", "later"):
            holds.add_metric([due], waiting[due])
        yield holds
