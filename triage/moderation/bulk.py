"""Bulk actions on a selection of queue rows: confirm the policy's decision, or dismiss.

Each case is handled as a moderator would one by one: it must be visible to them (escalations
are the leads'), nobody else may hold it, and the decision goes through the same services (the
lock is taken, the decision made, the lock released, each step audited). A case that cannot be
done is skipped with its reason; the others go on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from . import selectors
from .outcomes import case_review_outcome
from .roles import user_is_lead
from .services import CaseLockedError, CaseNotHeldError, NotAllowedError, case_lock_take, case_review_confirm

BULK_ACTIONS = ("confirm", "dismiss")
BULK_MAX = 100


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)


def cases_bulk_decide(*, case_ids: list[int], user, action: str) -> BulkResult:

    if action not in BULK_ACTIONS:
        raise ValidationError({"action": [f"One of: {', '.join(BULK_ACTIONS)}."]})
    if len(case_ids) > BULK_MAX:
        raise ValidationError({"case": [f"At most {BULK_MAX} cases at once."]})
    result = BulkResult()
    lead = user_is_lead(user)
    for case_id in dict.fromkeys(case_ids):
        case = selectors.case_for_dashboard(case_id=case_id)
        if case is None:
            result.skipped[case_id] = "no such case"
            continue
        if case.escalated and not lead:
            result.skipped[case_id] = "escalated to a lead"
            continue
        try:
            case_lock_take(case_id=case_id, user=user)
            if action == "confirm":
                case_review_confirm(case_id=case_id, user=user)
            else:
                case_review_outcome(case_id=case_id, user=user, outcome="restore", keep_label=False)
        except (CaseLockedError, CaseNotHeldError, NotAllowedError) as exc:
            result.skipped[case_id] = str(exc)
        except ValidationError as exc:
            result.skipped[case_id] = "; ".join(exc.messages)
        else:
            result.done.append(case_id)
    return result
