"""Whose case it is: assign to oneself, to someone else (leads), reassign (leads). Audited."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from triage.audit.models import ActorKind
from triage.audit.services import audit_record

from .models import CaseAssignment
from .roles import user_is_lead, user_is_moderator
from .services import NotAllowedError, _case_locked_for_update


@transaction.atomic
def case_assign(*, case_id: int, user, assignee) -> CaseAssignment | None:
    """Assign the case to `assignee` (None: unassign). Only leads assign others or take from others."""
    case = _case_locked_for_update(case_id)
    current = CaseAssignment.objects.filter(case=case).first()
    lead = user_is_lead(user)
    if assignee is not None and not user_is_moderator(assignee):
        raise NotAllowedError("cases are assigned to moderators")
    others = (assignee is not None and assignee.pk != user.pk) or (
        current is not None and current.user_id != user.pk
    )
    if others and not lead:
        raise NotAllowedError("only a lead assigns cases to others or reassigns them")
    previous = current.user_id if current else None
    if assignee is None:
        if current is not None:
            current.delete()
        result = None
    else:
        result, _ = CaseAssignment.objects.update_or_create(
            case=case, defaults={"user": assignee, "assigned_by": user, "assigned_at": timezone.now()}
        )
    audit_record(
        action="case.assigned",
        actor_kind=ActorKind.MODERATOR,
        actor_user=user,
        case=case,
        inputs={"previous_user_id": previous},
        outcome={"user_id": assignee.pk if assignee is not None else None},
    )
    return result


def assignable_moderators():
    """Active users a case may be assigned to (moderators and leads), by name."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=["moderators", "leads"])
        .distinct()
        .order_by("username")
    )


def case_assign_on_take(*, case, user) -> None:
    """Taking an unassigned case assigns it to whoever took it (call inside the take)."""
    CaseAssignment.objects.get_or_create(
        case=case, defaults={"user": user, "assigned_by": user, "assigned_at": timezone.now()}
    )
