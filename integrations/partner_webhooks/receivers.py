"""Listen for new cases, shares and decisions, and enqueue partner webhook deliveries.

A broker failure is logged, never raised into the sender (these run after its commit). A lost
`case.new` is not swept up later: partners poll `?since=` for what they missed.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from integrations.partners.models import CaseShare
from triage.signals import decision_made, media_item_stored

from .tasks import case_new_task, decision_task

logger = logging.getLogger(__name__)


def _delay(task, *args) -> None:
    try:
        task.delay(*args)
    except Exception:  # noqa: BLE001
        logger.warning("could not enqueue %s%s", task.name, args)


@receiver(media_item_stored, dispatch_uid="partner_webhooks.case_new")
def case_new_on_media_stored(sender, *, case_id: int, **kwargs) -> None:
    # A case becomes something to look at once its media is stored; one delivery per partner
    # (idempotency key), however many re-uploads send this signal.
    from .tasks import case_new_task

    _delay(case_new_task, case_id)


@receiver(post_save, sender=CaseShare, dispatch_uid="partner_webhooks.case_shared")
def case_new_on_share(sender, *, instance: CaseShare, created: bool, **kwargs) -> None:
    if not created:
        return

    transaction.on_commit(lambda: _delay(case_new_task, instance.case_id))


@receiver(decision_made, dispatch_uid="partner_webhooks.decision")
def decision_on_assessed_case(sender, *, decision_id: int, **kwargs) -> None:

    _delay(decision_task, decision_id)
