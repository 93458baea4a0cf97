"""Triage's readiness checks for `/readyz` (config/health.py): a worker has run the periodic sweep
recently. The sweep is scheduled by beat and run by a worker, so a fresh stamp proves both."""

from __future__ import annotations

import socket

from django.conf import settings
from django.utils import timezone

from .models import WorkerHeartbeat

SWEEP = "periodic-sweep"


def worker_heartbeat_stamp() -> None:
    WorkerHeartbeat.objects.update_or_create(
        name=SWEEP, defaults={"seen_at": timezone.now(), "hostname": socket.gethostname()[:255]}
    )


def worker_seen_recently() -> str | None:
    stale_after = settings.READYZ_WORKER_STALE_SECONDS
    seen = WorkerHeartbeat.objects.filter(name=SWEEP).values_list("seen_at", flat=True).first()
    if seen is None:
        return "no worker has run the periodic sweep yet (are a worker and beat running?)"
    age = (timezone.now() - seen).total_seconds()
    if age > stale_after:
        return (
            f"no worker has run the periodic sweep for {int(age)} s (more than {stale_after} s): "
            "are a worker and beat running?"
        )
    return None
