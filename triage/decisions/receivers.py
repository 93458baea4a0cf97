"""Decide cases when their evidence changes: a new verdict, media stored for a verdict we have, or
a later report about the same content."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from triage.models import Case, SubmissionEvent, SubmissionEventKind
from triage.signals import media_item_stored, verdict_fused

from .models import Decision
from .tasks import case_decide_task

logger = logging.getLogger(__name__)


def case_decide_enqueue(*, case_id: int, trigger: str) -> None:
    """Enqueue a policy decision for a case once the current transaction commits."""

    def enqueue() -> None:

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
    # A near-duplicate (new bytes) founding or joining the case of its canonical media is decided
    # too, when that media has a verdict and the case no decision yet: the canonical verdict will
    # not be fused again. (A case that has a decision already is caught up by the callbacks.)
    from triage.evidence.selectors import verdict_latest_for_media

    try:
        if not created:
            if verdict_latest_for_media(media_item_id=media_item_id) is not None:
                case_decide_enqueue(case_id=case_id, trigger="media_stored")
            return
        case = Case.objects.filter(pk=case_id, merged_into__isnull=True).only("media_item_id").first()
        if (
            case is not None
            and case.media_item_id is not None
            and case.media_item_id != media_item_id
            and not Decision.objects.filter(case_id=case_id, is_current=True).exists()
            and verdict_latest_for_media(media_item_id=case.media_item_id) is not None
        ):
            case_decide_enqueue(case_id=case_id, trigger="media_stored")
    except Exception:
        logger.exception("could not enqueue the decision of case %s", case_id)


@receiver(post_save, sender=SubmissionEvent, dispatch_uid="policy.decide_on_submission_update")
def decide_on_submission_update(sender, *, instance: SubmissionEvent, created: bool, **kwargs) -> None:
    # A later event about known content may change what the policy sees (subjects, disclosure,
    # reach, report reason): re-decide its cases that already have a decision. Cheap when nothing
    # changed: the decision service writes nothing for the same outcome.
    if not created or instance.kind != SubmissionEventKind.UPDATED:
        return

    case_ids = Decision.objects.filter(
        is_current=True, case__submission_media__submission_id=instance.submission_id
    ).values_list("case_id", flat=True)
    for case_id in sorted(set(case_ids)):
        case_decide_enqueue(case_id=case_id, trigger="submission_update")
