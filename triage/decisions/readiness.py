"""The window transitions' readiness check for `/readyz` (config/health.py): no window transition late.

A window boundary that passed more than READYZ_TRANSITION_LATE_SECONDS ago without its transition
recorded means the transitions beat is not running (silence holds would not be placed), and a
recorded transition whose cases are still not re-evaluated after UNFINISHED_AFTER means its
batches are stuck."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from config import clock

from .models import WindowTransition
from .transitions import transitions_due

# A transition re-evaluates its cases in batches of 200 within seconds each; ten minutes is stuck.
UNFINISHED_AFTER = timedelta(minutes=10)


def transitions_on_time() -> str | None:
    now = clock.now()
    late_after = timedelta(seconds=settings.READYZ_TRANSITION_LATE_SECONDS)
    late = [d for d in transitions_due(now=now) if d.boundary_at < now - late_after]
    if late:
        oldest = min(late, key=lambda d: d.boundary_at)
        return (
            f"{len(late)} window transition(s) late, the oldest {oldest.kind} {oldest.country} at "
            f"{oldest.boundary_at.isoformat()}: is beat running?"
        )
    stuck = WindowTransition.objects.filter(finished_at__isnull=True, recorded_at__lt=now - UNFINISHED_AFTER)
    if stuck.exists():
        return (
            f"{stuck.count()} window transition(s) recorded but their cases not re-evaluated after 10 minutes"
        )
    return None
