"""Turn triage's `review_deadline_missed` and `fact_check_recorded` into chat notices (triage never
imports integrations)."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from triage.signals import fact_check_recorded, review_deadline_missed

from .services import chat_configured
from .tasks import chat_notify_task

logger = logging.getLogger(__name__)


@receiver(review_deadline_missed, dispatch_uid="chat.notify_deadline_missed")
def notify_deadline_missed(sender, *, case_id: int, summary: str, **kwargs) -> None:
    if not chat_configured():
        return

    try:
        chat_notify_task.delay(summary, case_id, "case.review_deadline_missed")
    except Exception:  # noqa: BLE001 - a broker outage must not break the sweep
        logger.warning("could not enqueue the chat notice for case %s", case_id)


@receiver(fact_check_recorded, dispatch_uid="chat.notify_fact_check")
def notify_fact_check(sender, *, case_id: int, assessment_id: int, change: str, **kwargs) -> None:
    """Issue 14: moderators are told when a partner's assessment of a case arrives, changes or is
    withdrawn (the case page shows it, with the debunked-bank confirmation when it asks for one)."""
    if not chat_configured():
        return
    # Codes and ids only, as every notice: the channel is outside the platform.
    text = (
        f"Case {case_id}: a partner fact-check was {change} (assessment {assessment_id}); see the case page."
    )
    try:
        chat_notify_task.delay(text, case_id, f"partner_assessment.{change}")
    except Exception:  # noqa: BLE001 - a broker outage must not undo the partner's write
        logger.warning("could not enqueue the chat notice for case %s", case_id)
