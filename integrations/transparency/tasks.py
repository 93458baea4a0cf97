"""Celery tasks for statements of reasons: thin wrappers that call services."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="integrations.transparency.tasks.statements_for_decisions_task", acks_late=True)
def statements_for_decisions_task(decision_ids: list[int]) -> int:
    """Store the statements of reasons of decisions, each in its own transaction (idempotent).

    A failing decision is logged and left to the periodic sweep; the others go on. Return how
    many statements were stored.
    """
    stored = 0
    for decision_id in decision_ids:
        try:
            stored += len(services.statements_for_decision(decision_id=decision_id))
        except Exception:  # noqa: BLE001
            logger.exception("statements of decision %s failed; the sweep will retry", decision_id)
    return stored


@shared_task(name="integrations.transparency.tasks.sweep_statements")
def sweep_statements() -> int:
    """Store statements for restricting decisions that have none (periodic, see TransparencyConfig)."""
    return services.statements_sweep_missed()
