"""Celery tasks for partner webhooks: thin wrappers that take ids and call services."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="moratorium.partner_webhooks.deliver", acks_late=True)
def deliver_partner_webhook(delivery_id: int) -> str:
    return services.delivery_attempt(delivery_id=delivery_id) or "not claimed"


@shared_task(name="moratorium.partner_webhooks.case_new")
def case_new_task(case_id: int) -> int:
    return len(services.case_new_fan_out(case_id=case_id))


@shared_task(name="moratorium.partner_webhooks.decision")
def decision_task(decision_id: int) -> int:
    return len(services.decision_fan_out(decision_id=decision_id))


@shared_task(name="moratorium.partner_webhooks.dispatch_due")
def dispatch_due() -> int:
    """Recover lost claims and enqueue due deliveries (periodic: PartnerWebhooksConfig)."""
    services.deliveries_recover_claims()
    due = services.deliveries_due(now=timezone.now())
    for delivery_id in due:
        deliver_partner_webhook.delay(delivery_id)
    return len(due)
