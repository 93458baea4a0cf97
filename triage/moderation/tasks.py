"""Celery tasks of the moderation lifecycle: thin wrappers that call the services."""

from __future__ import annotations

from celery import shared_task

from .deadlines import deadlines_sweep


@shared_task(name="moratorium.moderation.deadlines_sweep")
def deadlines_sweep_task() -> dict:
    """Escalate missed review deadlines and lapse holds past their longest life (periodic)."""

    result = deadlines_sweep()
    return {"escalated": result.escalated, "lapsed": result.lapsed}
