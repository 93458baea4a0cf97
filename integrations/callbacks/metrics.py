"""Decision callbacks' metrics, read from the database at scrape time (config/metrics.py)."""

from __future__ import annotations

from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily

from .models import Delivery


class DeliveriesCollector:
    def collect(self):
        deliveries = GaugeMetricFamily(
            "moratorium_callback_deliveries",
            "Decision deliveries to platforms by state (dead: the dead letters)",
            labels=["platform", "state"],
        )
        for row in Delivery.objects.values("platform__slug", "state").annotate(n=Count("id")):
            deliveries.add_metric([row["platform__slug"], row["state"]], row["n"])
        yield deliveries
