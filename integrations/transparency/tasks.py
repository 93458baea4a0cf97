"""Celery tasks for statements of reasons: thin wrappers that call services."""

from celery import shared_task

from . import services


@shared_task
def sweep_statements() -> int:
    """Store statements for restricting decisions that have none (periodic, see TransparencyConfig)."""
    return services.statements_sweep_missed()
