"""Turn triage's `review_deadline_missed` into a chat notice (triage never imports integrations)."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from triage.signals import review_deadline_missed

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
