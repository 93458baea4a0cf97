"""Decide cases when their evidence changes: a new verdict, or media stored for a verdict we have."""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import receiver

from triage.signals import media_item_stored, verdict_fused

logger = logging.getLogger(__name__)


def case_decide_enqueue(*, case_id: int, trigger: str) -> None:
    """Enqueue a policy decision for a case once the current transaction commits."""

    def enqueue() -> None:
        from .tasks import case_decide_task

        try:
            case_decide_task.apply_async(kwargs={"case_id": case_id, "trigger": trigger}, retry=False)
        except Exception:  # noqa: BLE001 - a broker failure must not break the sender's commit
            logger.warning("could not enqueue the policy decision of case %s", case_id)

    transaction.on_commit(enqueue)


@receiver(verdict_fused, dispatch_uid="policy.decide_on_verdict_fused")
def decide_on_verdict_fused(sender, *, media_item_id: int, **kwargs) -> None:
    # Sent on commit by the checks: every live case of the media item gets the new verdict.
    from .services import cases_decide_for_media

    try:
        for case_id in cases_decide_for_media(media_item_id=media_item_id):
            case_decide_enqueue(case_id=case_id, trigger="verdict")
    except Exception:
        logger.exception("could not enqueue decisions for media item %s", media_item_id)


@receiver(media_item_stored, dispatch_uid="policy.decide_on_media_item_stored")
def decide_on_media_item_stored(sender, *, media_item_id: int, case_id: int, created: bool, **kwargs) -> None:
    # A re-upload of known media joins (or founds) a case that the existing verdict already covers:
    # decide it now rather than waiting for a verdict that will not come again.
    from triage.checks.selectors import verdict_latest_for_media

    if created:
        return
    try:
        if verdict_latest_for_media(media_item_id=media_item_id) is not None:
            case_decide_enqueue(case_id=case_id, trigger="media_stored")
    except Exception:
        logger.exception("could not enqueue the decision of case %s", case_id)
