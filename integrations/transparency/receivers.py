"""Enqueue the statements of reasons of each decision made."""

import logging

from django.dispatch import receiver

from triage.decisions.followups import decision_followup
from triage.signals import decision_made

from .tasks import statements_for_decisions_task

logger = logging.getLogger(__name__)


def _enqueue(decision_ids: list[int]) -> None:

    try:
        statements_for_decisions_task.delay(decision_ids)
    except Exception:  # noqa: BLE001
        logger.warning("could not enqueue the statements of decisions %s; the sweep will do it", decision_ids)


@receiver(decision_made, dispatch_uid="transparency.statements")
def store_statements(sender, decision_id: int, **kwargs) -> None:
    """Enqueue the decision's statements as a task (the decider does not wait for them).

    A broker failure is logged, not raised: the periodic sweep stores what was missed.
    """
    decision_followup(key="transparency.statements", decision_id=decision_id, flush=_enqueue)
