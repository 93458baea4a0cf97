"""Celery tasks of the policy: thin wrappers that take ids and call the services."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError


@shared_task(
    name="triage.policy.tasks.case_decide_task",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
)
def case_decide_task(self, case_id: int, trigger: str) -> str:
    """Decide one case with the active policy (idempotent: a re-run with the same outcome is a no-op)."""
    from .services import case_decide_by_policy

    try:
        decision = case_decide_by_policy(case_id=case_id, trigger=trigger)
    except OperationalError as exc:  # a lock timeout or a dropped connection: try again shortly
        raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1)) from exc
    return str(decision.decision_id) if decision else "unchanged"


@shared_task(name="triage.policy.tasks.cases_redecide_task", acks_late=True, reject_on_worker_lost=True)
def cases_redecide_task(case_ids: list[int]) -> int:
    """Re-decide one batch of cases with the active policy (requested after an activation).

    Redelivery is harmless: re-deciding a case whose outcome is unchanged writes nothing.
    """
    from .services import cases_redecide

    return cases_redecide(case_ids=case_ids)
