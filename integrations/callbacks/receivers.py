"""Listen for decisions and enqueue their fan-out to the platforms."""

import logging

from django.dispatch import receiver

from triage.policy.followups import decision_followup
from triage.signals import decision_made

logger = logging.getLogger(__name__)


def _enqueue(decision_ids: list[int]) -> None:
    from .tasks import decision_fan_out_task

    try:
        decision_fan_out_task.delay(decision_ids)
    except Exception:  # noqa: BLE001
        logger.warning("could not enqueue the fan-out of decisions %s; the sweep will do it", decision_ids)


@receiver(decision_made, dispatch_uid="callbacks.fan_out")
def fan_out_decision(sender, decision_id: int, **kwargs) -> None:
    """Enqueue the decision's fan-out as a task (`decision_made` is sent once the decision commits).

    The decider does not wait for the deliveries to be written: a window opening re-evaluates
    thousands of cases and each should get its hold as soon as possible (there, the decisions of
    a batch share one task: see triage.policy.followups). A broker failure is logged, not raised:
    the periodic sweep (`decisions_fan_out_missed`) fans the decision out later.
    """
    decision_followup(key="callbacks.fan_out", decision_id=decision_id, flush=_enqueue)
