"""Celery tasks for window transitions: thin wrappers that take ids and call elections.transitions."""

from celery import shared_task
from django.utils.dateparse import parse_datetime

from . import transitions


@shared_task(name="elections.tasks.window_transitions_run")
def window_transitions_run() -> int:
    """Record the silence-window transitions now due and fan out their re-evaluation (periodic)."""
    return len(transitions.window_transitions_run())


@shared_task(name="elections.tasks.transition_batch_run", acks_late=True)
def transition_batch_run(batch_id: int, at: str) -> int:
    """Re-evaluate one batch of a transition's cases at the instant `at` (ISO 8601)."""
    return transitions.transition_batch_process(batch_id=batch_id, at=parse_datetime(at))
