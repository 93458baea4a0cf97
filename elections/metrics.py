"""The calendar's metrics at scrape time (config/metrics.py): which countries are in silence now,
which in an election period."""

from __future__ import annotations

from prometheus_client.core import GaugeMetricFamily

from config import clock

from .models import Country
from .selectors import countries_in_silence, election_period_active


class CalendarCollector:
    def collect(self):
        now = clock.now()
        silence = GaugeMetricFamily(
            "moratorium_country_in_silence",
            "1 while a country's pre-election silence window is open",
            labels=["country"],
        )
        period = GaugeMetricFamily(
            "moratorium_country_in_election_period",
            "1 while a country is in an election period",
            labels=["country"],
        )
        silent = {w.country_id for w in countries_in_silence(at=now)}
        for code in Country.objects.order_by("code").values_list("code", flat=True):
            silence.add_metric([code], 1 if code in silent else 0)
            period.add_metric([code], 1 if election_period_active(country=code, at=now) else 0)
        yield silence
        yield period
