"""Decide cases when their evidence changes: a new verdict, media stored for a verdict we have, or
a burst of later reports about the same content that changed what the policy sees."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from triage.audit.models import ActorKind
from triage.audit.services import audit_record
from triage.models import Case
from triage.signals import media_item_stored, reports_folded, verdict_fused

from .engine import input_condition_flips
from .inputs import _submissions, reach_velocity
from .models import Decision, PolicyStatus, PolicyVersion
from .reports import reports_for_submissions
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


# The trigger a re-decision after new reports names (a rule may test it): the name it had when each
# report re-decided on its own.
TRIGGER_REPORTS = "submission_update"


def _fold_matters(*, case: Case, rules: dict, submission_id: int, event_ids: list[str], reach_at) -> str:
    """What a fold of new reports changed that the policy's rules test ("" for nothing).

    The election-report inputs are compared with and without the folded reports, and the reach
    velocity just before the fold's reach sample with now; a number matters when it crosses a
    threshold some rule tests (engine.input_condition_flips).
    """
    submissions = _submissions(case)
    after = reports_for_submissions(submissions)
    before = reports_for_submissions(submissions, without=(submission_id, event_ids))
    if before.election_report_trusted != after.election_report_trusted:
        return "first trusted report for an election reason"
    if input_condition_flips(
        rules, "election_user_reports", before.election_user_reports, after.election_user_reports
    ):
        return "election user reports crossed the policy's threshold"
    if reach_at is not None:
        was = reach_velocity(case=case, at=reach_at - timedelta(microseconds=1))
        now = reach_velocity(case=case, at=timezone.now())
        if input_condition_flips(rules, "reach_velocity", was, now):
            return "reach velocity crossed the policy's threshold"
    return ""


@receiver(reports_folded, dispatch_uid="policy.decide_on_reports_folded")
def decide_on_reports_folded(
    sender,
    *,
    submission_id: int,
    case_ids: list[int],
    event_ids: list[str],
    fields_changed: list[str],
    reach_at=None,
    **kwargs,
) -> None:
    # A burst of later reports about known content, folded by a worker (triage/intake/folds.py):
    # re-decide each decided case of it once, when the burst changed something the rules test
    # (a field the inputs read, the first trusted flagger, a count or the velocity crossing a
    # threshold). Once per burst, never once per report; the request is audited with its reason.
    try:
        decided = sorted(
            set(
                Decision.objects.filter(
                    is_current=True, case_id__in=case_ids, case__merged_into__isnull=True
                ).values_list("case_id", flat=True)
            )
        )
        if not decided:
            return
        policy = PolicyVersion.objects.filter(status=PolicyStatus.ACTIVE).only("rules").first()
        rules = policy.rules if policy is not None else {}
        for case in Case.objects.filter(pk__in=decided).order_by("pk"):
            why = (
                f"changed: {', '.join(fields_changed)}"
                if fields_changed
                else _fold_matters(
                    case=case,
                    rules=rules,
                    submission_id=submission_id,
                    event_ids=event_ids,
                    reach_at=reach_at,
                )
            )
            if not why:
                continue
            audit_record(
                action="case.redecision_requested",
                actor_kind=ActorKind.SYSTEM,
                case=case,
                inputs={
                    "trigger": TRIGGER_REPORTS,
                    "submission_id": submission_id,
                    "reports": len(event_ids),
                },
                outcome={"why": why},
            )
            case_decide_enqueue(case_id=case.pk, trigger=TRIGGER_REPORTS)
    except Exception:
        logger.exception("could not re-decide after the reports of submission %s", submission_id)
