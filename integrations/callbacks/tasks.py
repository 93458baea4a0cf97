"""Celery tasks for decision callbacks: thin wrappers that take ids and call services."""

import logging

from celery import shared_task
from django.utils import timezone

from . import selectors, services

logger = logging.getLogger(__name__)


@shared_task(name="integrations.callbacks.tasks.decision_fan_out_task", acks_late=True)
def decision_fan_out_task(decision_ids: list[int]) -> int:
    """Fan out decisions, each in its own transaction (idempotent: see decision_fan_out).

    A failing decision is logged and left to the periodic sweep; the others go on. Return how
    many deliveries were created.
    """
    created = 0
    for decision_id in decision_ids:
        try:
            created += len(services.decision_fan_out(decision_id=decision_id))
        except Exception:  # noqa: BLE001
            logger.exception("fan-out of decision %s failed; the sweep will retry it", decision_id)
    return created


@shared_task(name="integrations.callbacks.tasks.deliver_callback", acks_late=True)
def deliver_callback(delivery_id: int) -> str:
    """Send one due delivery (a no-op when another worker claimed it or it is not due)."""
    attempt = services.delivery_attempt(delivery_id=delivery_id)
    return attempt.outcome if attempt else "not claimed"


@shared_task(name="integrations.callbacks.tasks.dispatch_due")
def dispatch_due() -> int:
    """Fan out missed decisions, recover lost claims, enqueue due deliveries (periodic: CallbacksConfig)."""
    services.decisions_fan_out_missed()
    services.deliveries_recover_claims()
    due = selectors.deliveries_due(now=timezone.now())
    for delivery_id in due:
        deliver_callback.delay(delivery_id)
    return len(due)


@shared_task(name="integrations.callbacks.tasks.catch_up_missed_deliveries")
def catch_up_missed_deliveries() -> int:
    """Deliver current decisions to joined submissions whose catch-up was lost (periodic: CallbacksConfig)."""
    return services.decisions_catch_up_missed()
