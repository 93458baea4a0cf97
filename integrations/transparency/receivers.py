"""Store statements of reasons when a decision is made."""

import logging

from django.dispatch import receiver

from triage.signals import decision_made

from . import services

logger = logging.getLogger(__name__)


@receiver(decision_made, dispatch_uid="transparency.statements")
def store_statements(sender, decision_id: int, **kwargs) -> None:
    """Store the decision's statements; a failure is logged and left to the periodic sweep."""
    try:
        services.statements_for_decision(decision_id=decision_id)
    except Exception:  # noqa: BLE001
        logger.exception("statements of decision %s failed; the sweep will retry", decision_id)
