"""Listen for decisions and fan each out to the platforms."""

import logging

from django.dispatch import receiver

from triage.signals import decision_made

from . import services

logger = logging.getLogger(__name__)


@receiver(decision_made, dispatch_uid="callbacks.fan_out")
def fan_out_decision(sender, decision_id: int, **kwargs) -> None:
    """Create the decision's deliveries (in their own transaction; sending is enqueued on commit).

    A failure is logged, not raised: the decision is already committed and the sender must not
    fail for it, and the periodic sweep (`decisions_fan_out_missed`) fans it out later.
    """
    try:
        services.decision_fan_out(decision_id=decision_id)
    except Exception:  # noqa: BLE001
        logger.exception("fan-out of decision %s failed; the sweep will retry it", decision_id)
