"""Re-deciding open cases with the active version (opt-in), and deciding many cases in one batch."""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from triage.audit.models import ActorKind
from triage.audit.services import audit_record

from ..followups import decision_followups_coalesced
from ..inputs import batch_memo
from ..models import PolicyStatus, PolicyVersion
from ..selectors import cases_redecidable
from .deciding import case_decide_by_policy

logger = logging.getLogger(__name__)

# The trigger of a re-decision an operator requests after activating a version.
TRIGGER_POLICY_ACTIVATED = "policy_activated"


def _redecide_enqueue(batches: list[list[int]]) -> None:
    # the tasks module imports this one
    from ..tasks import cases_redecide_task

    for case_ids in batches:
        cases_redecide_task.delay(case_ids)


@transaction.atomic
def cases_redecide_with_active_policy(*, user=None, batch_size: int = 200) -> int:
    """Queue every live case for re-decision with the active version; return how many were queued.

    Activation alone re-decides nothing (each case takes the new version at its next trigger):
    this is the explicit operator action that applies it to the open cases now. The cases are
    those `case_decide_by_policy` would act on (not merged, with media, no moderator's decision
    current); they are enqueued in batches of `batch_size` once this transaction commits. Only
    the cases whose outcome changes get a new decision (and so a platform update).
    """
    policy = PolicyVersion.objects.filter(status=PolicyStatus.ACTIVE).first()
    if policy is None:
        raise ValidationError({"status": ["No policy version is active: nothing to re-decide with."]})
    size = max(1, batch_size)
    case_ids = list(cases_redecidable().values_list("pk", flat=True))
    batches = [case_ids[i : i + size] for i in range(0, len(case_ids), size)]
    audit_record(
        action="policy.redecide_requested",
        actor_kind=ActorKind.OPERATOR if user else ActorKind.SYSTEM,
        actor_user=user,
        inputs={"batch_size": size},
        outcome={"version": policy.version, "cases": len(case_ids), "batches": len(batches)},
        policy_version=policy.version,
    )
    transaction.on_commit(lambda: _redecide_enqueue(batches))
    return len(case_ids)


def cases_decide_in_batch(
    *, case_ids: list[int], trigger: str, at: datetime, context: str, stop: threading.Event | None = None
) -> list[int]:
    """Decide many cases with the active policy at one instant; return the ids that failed.

    `stop`, once set (the caller lost its claim on the batch), ends the loop before the next case.

    Each case is its own transaction inside `case_decide_by_policy`; one failing is logged by id
    (with `context`, e.g. which transition) and the others go on. The calendar, the registry and
    the policy are read once per batch; the decisions' fan-outs and statements are enqueued as one
    task each when the batch ends. Used by window transitions and by re-decisions on request.
    """
    failed = []
    with batch_memo(), decision_followups_coalesced():
        for case_id in case_ids:
            if stop is not None and stop.is_set():
                logger.warning("stopped re-deciding (%s): the batch was taken over", context)
                break
            try:
                case_decide_by_policy(case_id=case_id, trigger=trigger, at=at)
            except Exception:
                logger.exception("re-deciding case %s (%s) failed", case_id, context)
                failed.append(case_id)
    return failed


def cases_redecide(*, case_ids: list[int], at: datetime | None = None) -> int:
    """Re-decide a batch of cases with the active policy at `at`; return how many were decided.

    Idempotent: a duplicate or redelivered batch re-decides the same cases and finds their
    outcomes unchanged, which writes nothing (no decision, no platform update). The policy is the
    one active when the batch runs: a version activated meanwhile applies.
    """
    failed = cases_decide_in_batch(
        case_ids=case_ids,
        trigger=TRIGGER_POLICY_ACTIVATED,
        at=at or timezone.now(),
        context="re-decision with the active policy",
    )
    return len(case_ids) - len(failed)
