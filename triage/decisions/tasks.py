"""Celery tasks of the decision side: thin wrappers that take ids and call the services.

The window-transition tasks keep the names they had when transitions lived in `elections/`.
"""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from django.utils.dateparse import parse_datetime

from config.retry import backoff_seconds

from . import transitions
from .services import case_decide_by_policy, cases_redecide


@shared_task(
    name="triage.policy.tasks.case_decide_task",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
)
def case_decide_task(self, case_id: int, trigger: str) -> str:
    """Decide one case with the active policy (idempotent: a re-run with the same outcome is a no-op)."""

    try:
        decision = case_decide_by_policy(case_id=case_id, trigger=trigger)
    except OperationalError as exc:  # a lock timeout or a dropped connection: try again shortly
        countdown = backoff_seconds(self.request.retries + 1, first=2, cap=60)
        raise self.retry(exc=exc, countdown=countdown) from exc
    return str(decision.decision_id) if decision else "unchanged"


@shared_task(name="triage.policy.tasks.cases_redecide_task", acks_late=True, reject_on_worker_lost=True)
def cases_redecide_task(case_ids: list[int]) -> int:
    """Re-decide one batch of cases with the active policy (requested after an activation).

    Redelivery is harmless: re-deciding a case whose outcome is unchanged writes nothing.
    """

    return cases_redecide(case_ids=case_ids)


@shared_task(name="elections.tasks.window_transitions_run")
def window_transitions_run() -> int:
    """Record the silence-window transitions now due and fan out their re-evaluation (periodic)."""

    return len(transitions.window_transitions_run())


@shared_task(
    name="elections.tasks.transition_batch_run",
    acks_late=True,
    time_limit=transitions.BATCH_TIME_LIMIT_SECONDS,
)
def transition_batch_run(batch_id: int, at: str) -> int:
    """Re-evaluate one batch of a transition's cases at the instant `at` (ISO 8601)."""

    moment = parse_datetime(at)
    if moment is None:
        raise ValueError(f"not an ISO 8601 instant: {at!r}")
    return transitions.transition_batch_process(batch_id=batch_id, at=moment)
