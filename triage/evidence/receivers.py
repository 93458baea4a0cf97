"""Start the checks when ingestion stores a media item."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from triage.signals import media_item_stored

from .services import media_checks_enqueue

logger = logging.getLogger(__name__)


@receiver(media_item_stored, dispatch_uid="checks.enqueue_on_media_item_stored")
def enqueue_checks_on_media_item_stored(sender, *, media_item_id: int, **kwargs) -> None:
    # Sent on commit once per attachment; media_checks_enqueue is idempotent per media item.
    # Ingestion has already committed: a failure here is logged (and the media can be re-checked)
    # rather than raised into the caller that stored the file.
    try:
        media_checks_enqueue(media_item_id=media_item_id)
    except Exception:
        logger.exception("could not enqueue the checks of media item %s", media_item_id)
