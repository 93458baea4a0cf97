"""Listen for decisions and enqueue their fan-out to the platforms; catch up submissions that join."""

import logging

from django.dispatch import receiver

from triage.decisions.followups import decision_followup
from triage.decisions.selectors import decision_current
from triage.models import Case
from triage.signals import decision_made, media_item_stored

from . import services
from .tasks import decision_fan_out_task

logger = logging.getLogger(__name__)


def _enqueue(decision_ids: list[int]) -> None:

    try:
        decision_fan_out_task.delay(decision_ids)
    except Exception:  # noqa: BLE001
        logger.warning("could not enqueue the fan-out of decisions %s; the sweep will do it", decision_ids)


@receiver(decision_made, dispatch_uid="callbacks.fan_out")
def fan_out_decision(sender, decision_id: int, **kwargs) -> None:
    """Enqueue the decision's fan-out as a task (`decision_made` is sent once the decision commits).

    The decider does not wait for the deliveries to be written: a window opening re-evaluates
    thousands of cases and each should get its hold as soon as possible (there, the decisions of
    a batch share one task: see triage.decisions.followups). A broker failure is logged, not raised:
    the periodic sweep (`decisions_fan_out_missed`) fans the decision out later.
    """
    decision_followup(key="callbacks.fan_out", decision_id=decision_id, flush=_enqueue)


@receiver(media_item_stored, dispatch_uid="callbacks.catch_up_joined_submissions")
def catch_up_joined_submissions(sender, *, media_item_id: int, case_id: int, created: bool, **kwargs) -> None:
    """Give a submission that joined an existing case the case's current decision.

    A re-upload (exact or near-duplicate) joins a case that may be decided and fanned out
    already; the policy only sends a decision when its outcome changes, so without this the
    newcomer's platform would never hear. Fanning out the current decision again creates
    deliveries only for submissions that have none (decision_fan_out is idempotent per
    submission). If this catch-up fails or never runs, the catch-up sweep
    (decisions_catch_up_missed) delivers the decision instead.
    """
    try:
        case = Case.objects.filter(pk=case_id, merged_into__isnull=True).first()
        if case is None or (created and case.media_item_id == media_item_id):
            return  # new media in its own case: its verdict decides it when fused
        decision = decision_current(case_id=case.pk)
        if decision is not None:
            services.decision_fan_out(decision_id=decision.pk, trigger="submission_joined")
    except Exception:  # noqa: BLE001 - the media is stored; the catch-up sweep delivers it later
        logger.exception("could not catch up case %s after media item %s joined it", case_id, media_item_id)
