"""Writes the dashboard makes: review locks, and the moderator's actions wrapped in the lock.

The decisions themselves are the policy app's (`triage.decisions.services`); these services only
make sure the moderator holds the case while deciding, and release it once the decision is made.
Every step records itself in the audit log in the same transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from triage.audit.models import ActorKind
from triage.audit.services import audit_record
from triage.decisions.models import Decision
from triage.evidence.banks.models import FingerprintBank
from triage.models import Case, MediaItem

from .models import CaseLock
from .roles import LEADS_GROUP, MODERATORS_GROUP, user_is_lead, user_is_moderator


class CaseLockedError(Exception):
    """Another moderator holds the case."""

    def __init__(self, lock: CaseLock):
        self.lock = lock
        until = f"{lock.expires_at:%H:%M} UTC"
        super().__init__(f"{lock.user.get_username()} is reviewing this case until {until}")


class CaseNotHeldError(Exception):
    """The moderator must take the case before acting on it."""


class NotAllowedError(Exception):
    """The user's role does not allow this action on this case."""


def _lock_minutes() -> int:
    return int(getattr(settings, "DASHBOARD_LOCK_MINUTES", 15))


def _case_locked_for_update(case_id: int) -> Case:
    # Locking the case row serialises takes, releases and decisions on one case.
    return Case.objects.select_for_update().get(pk=case_id, merged_into__isnull=True)


def _case_is_escalated(case: Case) -> bool:

    # deferred: a module-level import here forms an import cycle
    from .models import DeadlineEscalation

    decision = Decision.objects.filter(case=case, is_current=True).first()
    if decision is None:
        return False
    # A missed review deadline sends the case to the leads as an escalation does.
    missed = DeadlineEscalation.objects.filter(decision=decision).exists()
    return "escalate" in decision.action_types() or missed


@transaction.atomic
def case_lock_take(*, case_id: int, user, at: datetime | None = None) -> CaseLock:
    """Take the case for review (or extend one's own claim); raise CaseLockedError if someone else has it."""
    at = at or timezone.now()
    case = _case_locked_for_update(case_id)
    if not user_is_moderator(user):
        raise NotAllowedError("only moderators can take cases")
    if _case_is_escalated(case) and not user_is_lead(user):
        raise NotAllowedError("only a lead can take an escalated case")
    lock = CaseLock.objects.select_related("user").filter(case=case).first()
    if lock is not None and lock.is_active(at=at) and lock.user_id != user.pk:
        raise CaseLockedError(lock)
    expires_at = at + timedelta(minutes=_lock_minutes())
    previous_holder = lock.user_id if lock is not None and lock.user_id != user.pk else None
    if lock is None:
        lock = CaseLock.objects.create(case=case, user=user, taken_at=at, expires_at=expires_at)
    else:
        if lock.user_id != user.pk:
            lock.taken_at = at
        lock.user = user
        lock.expires_at = expires_at
        lock.save(update_fields=["user", "taken_at", "expires_at"])
    # deferred: a module-level import here forms an import cycle
    from .assignment import case_assign_on_take

    case_assign_on_take(case=case, user=user)
    audit_record(
        action="case.review_taken",
        actor_kind=ActorKind.MODERATOR,
        actor_user=user,
        case=case,
        inputs={"expired_lock_of_user": previous_holder} if previous_holder else {},
        outcome={"expires_at": expires_at},
    )
    return lock


@transaction.atomic
def case_lock_release(*, case_id: int, user, reason: str = "released") -> bool:
    """Release the user's claim on the case; return False if they held none."""
    case = _case_locked_for_update(case_id)
    deleted, _ = CaseLock.objects.filter(case=case, user=user).delete()
    if not deleted:
        return False
    audit_record(
        action="case.review_released",
        actor_kind=ActorKind.MODERATOR,
        actor_user=user,
        case=case,
        outcome={"reason": reason},
    )
    return True


def case_lock_current(*, case_id: int, at: datetime | None = None) -> CaseLock | None:
    """Return the unexpired lock on the case, or None."""
    lock = CaseLock.objects.select_related("user").filter(case_id=case_id).first()
    return lock if lock is not None and lock.is_active(at=at) else None


def _lock_required(*, case: Case, user) -> None:
    """Raise unless `user` holds an unexpired lock on `case`; call while holding the case row lock."""
    lock = CaseLock.objects.select_related("user").filter(case=case).first()
    if lock is None or not lock.is_active():
        raise CaseNotHeldError("take the case before acting on it")
    if lock.user_id != user.pk:
        raise CaseLockedError(lock)


@transaction.atomic
def case_review_confirm(*, case_id: int, user, note: str = "", share_note: bool = False):
    """Approve the current policy decision as the moderator holding the case, then release it."""
    from triage.decisions.services import case_confirm_policy_decision  # the policy app owns decisions

    # deferred: a module-level import here forms an import cycle
    from .outcomes import decision_note_add

    case = _case_locked_for_update(case_id)
    _lock_required(case=case, user=user)
    decision = case_confirm_policy_decision(case_id=case.pk, user=user, note=note, share_note=share_note)
    decision_note_add(decision=decision, user=user, text=note, shared=share_note)
    case_lock_release(case_id=case.pk, user=user, reason="decided")
    return decision


@transaction.atomic
def case_review_decide(
    *,
    case_id: int,
    user,
    actions: list[dict],
    note: str = "",
    verdict_override: str | None = None,
    share_note: bool = False,
    language: str = "",
):
    """Make a moderator's own decision on the case held by `user`, then release it."""
    from triage.decisions.services import case_decide_by_moderator  # the policy app owns decisions

    # deferred: a module-level import here forms an import cycle
    from .outcomes import decision_note_add

    case = _case_locked_for_update(case_id)
    _lock_required(case=case, user=user)
    decision = case_decide_by_moderator(
        case_id=case.pk,
        user=user,
        actions=actions,
        note=note,
        verdict_override=verdict_override,
        share_note=share_note,
        language=language,
    )
    decision_note_add(decision=decision, user=user, text=note, shared=share_note)
    case_lock_release(case_id=case.pk, user=user, reason="decided")
    return decision


def case_media_bank(*, case_id: int, media_item_id: int, bank_id: int, user, note: str = ""):
    """Bank one of the case's media items into a fingerprint bank, and audit it.

    Fingerprinting decodes the file, which is slow: it runs outside any transaction (the banks
    service writes in its own), and the audit record follows once the item is banked. A moderator
    another moderator is blocking cannot bank; one nobody blocks need not take the case first.
    """
    # keeps faiss and PyAV out of processes that never fingerprint
    from triage.evidence.banks.services import bank_add_media_item

    case = Case.objects.get(pk=case_id, merged_into__isnull=True)
    if not MediaItem.objects.filter(pk=media_item_id).filter(cases=case).exists() and not (
        MediaItem.objects.filter(pk=media_item_id, submission_media__case=case).exists()
    ):
        raise MediaItem.DoesNotExist(f"media {media_item_id} is not part of case {case_id}")
    lock = case_lock_current(case_id=case.pk)
    if lock is not None and lock.user_id != user.pk:
        raise CaseLockedError(lock)
    bank = FingerprintBank.objects.get(pk=bank_id)
    item = bank_add_media_item(bank=bank, media_item_id=media_item_id, notes=note, added_by=user)
    with transaction.atomic():
        audit_record(
            action="case.media_banked",
            actor_kind=ActorKind.MODERATOR,
            actor_user=user,
            case=case,
            inputs={"media_item_id": media_item_id, "bank": bank.name, "note": note},
            outcome={"banked_item_id": item.pk, "purpose": bank.purpose},
        )
    return item


@transaction.atomic
def moderator_create(*, username: str, password: str, lead: bool = False):
    """Create (or update) a dashboard user in the moderators group, and in leads if `lead`."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    user.set_password(password)
    user.is_active = True
    user.save()
    groups = [MODERATORS_GROUP, LEADS_GROUP] if lead else [MODERATORS_GROUP]
    for name in groups:
        group, _ = Group.objects.get_or_create(name=name)
        user.groups.add(group)
    audit_record(
        action="moderator.created" if created else "moderator.updated",
        actor_kind=ActorKind.OPERATOR,
        inputs={"user_id": user.pk, "groups": groups},
    )
    return user
