"""A circuit breaker per detector, shared by every worker through the DetectorConfig row.

After `failure_threshold` consecutive failures the circuit opens for `cooldown_seconds`: the check
fails at once ("circuit open") instead of waiting on a vendor that is down. The first call after the
cooldown goes through; success closes the circuit, failure re-opens it. Updates are conditional
(F() expressions), so concurrent workers count correctly without locks.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone

from triage.evidence.models import DetectorConfig


def circuit_is_open(config: DetectorConfig) -> bool:
    return config.circuit_open_until is not None and config.circuit_open_until > timezone.now()


def circuit_record_success(*, config_id: int) -> None:
    DetectorConfig.objects.filter(pk=config_id).exclude(
        consecutive_failures=0, circuit_open_until=None
    ).update(consecutive_failures=0, circuit_open_until=None, last_error="")


def circuit_record_failure(*, config_id: int, error: str) -> None:
    now = timezone.now()
    DetectorConfig.objects.filter(pk=config_id).update(
        consecutive_failures=F("consecutive_failures") + 1, last_error=error[:300]
    )
    config = DetectorConfig.objects.get(pk=config_id)
    DetectorConfig.objects.filter(
        Q(circuit_open_until__isnull=True) | Q(circuit_open_until__lte=now),
        pk=config_id,
        consecutive_failures__gte=F("failure_threshold"),
    ).update(circuit_open_until=now + timedelta(seconds=config.cooldown_seconds))
