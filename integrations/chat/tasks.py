"""Celery task of the chat notifier: a thin wrapper with retries for transient failures."""

from __future__ import annotations

import logging

from celery import shared_task

from triage.audit.services import audit_record

from .services import ChatNotConfigured, OutboundError, chat_notify

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="moratorium.chat.notify", acks_late=True, max_retries=5)
def chat_notify_task(self, text: str, case_id: int | None = None, event: str = "") -> int | None:
    """Post one notice; retry transient failures with backoff, audit the delivery or the failure."""
    try:
        status = chat_notify(text=text)
    except ChatNotConfigured:
        return None
    except OutboundError as exc:
        if not exc.permanent and self.request.retries < self.max_retries:
            raise self.retry(exc=exc, countdown=min(600, 15 * 2**self.request.retries)) from exc
        logger.warning("chat notice for case %s not delivered: %s", case_id, exc)
        audit_record(
            action="notification.failed", case_id=case_id, inputs={"channel": "chat", "event": event},
            outcome={"error": str(exc)[:300]},
        )  # fmt: skip
        return None
    audit_record(
        action="notification.sent", case_id=case_id, inputs={"channel": "chat", "event": event},
        outcome={"status": status},
    )  # fmt: skip
    return status
