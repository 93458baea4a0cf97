"""Deadlines that bite: the periodic sweep over missed review deadlines and lapsed holds.

`deadlines_sweep(now=…)` (the beat task `moratorium.moderation.deadlines_sweep`, every
`MODERATION_DEADLINE_SWEEP_SECONDS`; also run by `manage.py run_periodic_tasks`):

1. every current decision whose review deadline has passed with no newer decision (so no human
   decided since it was set) is escalated once: a `DeadlineEscalation` row (the leads' queue, on
   top), the case's priority raised above every other tier, the audit event
   `case.review_deadline_missed`; the hold stays. Once committed, the leads are e-mailed through
   Django's mail backend (when `MODERATION_NOTIFY_EMAILS` is set) and `review_deadline_missed`
   is sent, which the chat notifier in integrations turns into a POST to the incoming-webhook URL
   (when `MODERATION_CHAT_WEBHOOK_URL` is set);
2. every policy hold past its longest life (triage/decisions/holds.py) lapses through
   `triage.decisions.lifecycle.case_hold_lapse`.

Each case is handled in its own transaction under its row lock, so a sweep racing a moderator's
decision either escalates the decision before it is superseded or finds it superseded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from triage.audit.models import ActorKind
from triage.audit.services import audit_record
from triage.decisions.lifecycle import case_deadline_extend, case_hold_lapse, hold_span
from triage.decisions.models import Decision
from triage.models import Case
from triage.signals import review_deadline_missed

from .models import DeadlineEscalation
from .roles import user_is_lead
from .services import NotAllowedError

logger = logging.getLogger(__name__)

# Above every policy tier (triage/decisions/services/deciding.py: silence holds reach
# 21 × 10^8 − 1), within the integer column's range.
PRIORITY_DEADLINE_MISSED = 2_147_000_000


@dataclass
class SweepResult:
    escalated: list[int] = field(default_factory=list)  # case ids
    lapsed: list[int] = field(default_factory=list)


def _summary(case: Case, decision: Decision) -> str:
    # Codes and ids only: this line goes to e-mail and a chat channel. The link is the case page,
    # which opens for leads only while the case is escalated (a forwarded notice shows nothing more).
    countries = ", ".join(case.audience_countries or []) or "no audience"
    kinds = ", ".join(decision.action_types()) or "nothing"
    link = f"{settings.PUBLIC_BASE_URL.rstrip('/')}{reverse('dashboard:case', args=[case.pk])}"
    return (
        f"Case #{case.pk} ({countries}): review deadline {decision.review_deadline:%Y-%m-%d %H:%M} UTC "
        f"passed with no human decision; current actions: {kinds}. Escalated to the leads: {link}"
    )


def _notify_email(*, case_id: int, summary: str) -> bool:
    recipients = [a for a in getattr(settings, "MODERATION_NOTIFY_EMAILS", []) if a]
    if not recipients:
        return False
    try:
        send_mail(
            subject=f"[Moratorium] Review deadline missed: case #{case_id}",
            message=summary,
            from_email=None,
            recipient_list=recipients,
        )
    except Exception:  # noqa: BLE001 - a mail server down must not undo the escalation
        logger.exception("could not e-mail the escalation of case %s", case_id)
        return False
    return True


def _escalate(*, decision_id: int, now: datetime) -> bool:
    with transaction.atomic():
        decision = Decision.objects.filter(pk=decision_id).first()
        if decision is None:
            return False
        case = Case.objects.select_for_update().get(pk=decision.case_id)
        decision.refresh_from_db(fields=["is_current"])
        if not decision.is_current or case.merged_into_id is not None:
            return False  # decided meanwhile: a human got there first
        try:
            with transaction.atomic():
                escalation = DeadlineEscalation.objects.create(
                    case=case, decision=decision, deadline=decision.review_deadline, escalated_at=now
                )
        except IntegrityError:
            return False  # another sweep escalated it
        case.priority = PRIORITY_DEADLINE_MISSED
        case.save(update_fields=["priority", "updated_at"])
        summary = _summary(case, decision)
        audit_record(
            action="case.review_deadline_missed",
            case=case,
            inputs={"decision_id": str(decision.decision_id), "review_deadline": decision.review_deadline},
            outcome={
                "escalated_to": "leads",
                "hold_kept": "removal_hold" in decision.action_types(),
                "escalation_id": escalation.pk,
            },
            policy_version=decision.policy_version.version if decision.policy_version_id else None,
        )
        escalation_id, case_id, deadline = escalation.pk, case.pk, decision.review_deadline.isoformat()

        def notify() -> None:
            emailed = _notify_email(case_id=case_id, summary=summary)
            DeadlineEscalation.objects.filter(pk=escalation_id).update(notified={"email": emailed})
            review_deadline_missed.send(
                sender=DeadlineEscalation,
                escalation_id=escalation_id,
                case_id=case_id,
                deadline=deadline,
                summary=summary,
            )

        transaction.on_commit(notify)
    return True


def deadlines_missed(*, now: datetime, limit: int = 500) -> list[int]:
    """Ids of current decisions whose review deadline passed and that nobody escalated yet."""
    return list(
        Decision.objects.filter(
            is_current=True,
            review_deadline__lte=now,
            case__merged_into__isnull=True,
            deadline_escalation__isnull=True,
        )
        .order_by("review_deadline")
        .values_list("pk", flat=True)[:limit]
    )


def holds_lapse_candidates(*, limit: int = 500) -> list[int]:
    """Case ids of current policy decisions that hold content (the lapse check runs on each)."""
    return list(
        Decision.objects.filter(
            is_current=True,
            decided_by="policy",
            action_kinds__contains=",removal_hold,",
            case__merged_into__isnull=True,
        )
        .order_by("created_at")
        .values_list("case_id", flat=True)[:limit]
    )


def deadlines_sweep(*, now: datetime | None = None) -> SweepResult:
    """Escalate missed review deadlines and lapse holds past their longest life (see the docstring)."""

    now = now or timezone.now()
    result = SweepResult()
    for decision_id in deadlines_missed(now=now):
        try:
            if _escalate(decision_id=decision_id, now=now):
                result.escalated.append(Decision.objects.get(pk=decision_id).case_id)
        except Exception:
            logger.exception("escalating the missed deadline of decision %s failed", decision_id)
    for case_id in holds_lapse_candidates():
        try:
            current = Decision.objects.filter(case_id=case_id, is_current=True).first()
            span = hold_span(decision=current) if current else None
            if span is None or span[1] > now:
                continue
            if case_hold_lapse(case_id=case_id, at=now) is not None:
                result.lapsed.append(case_id)
        except Exception:
            logger.exception("lapsing the hold of case %s failed", case_id)
    return result


def escalation_open(*, case_id: int) -> DeadlineEscalation | None:
    """The case's open deadline escalation (on its current decision), or None."""
    return (
        DeadlineEscalation.objects.filter(case_id=case_id, decision__is_current=True)
        .select_related("decision")
        .first()
    )


def deadline_extend(*, case_id: int, user, minutes: int, reason: str, at: datetime | None = None) -> Decision:
    """A lead extends the review deadline with a reason (see `case_deadline_extend`)."""

    if not user_is_lead(user):
        raise NotAllowedError("only a lead can extend a review deadline")
    with transaction.atomic():
        decision = case_deadline_extend(case_id=case_id, user=user, minutes=minutes, reason=reason, at=at)
        # The escalation stays on the superseded decision: the new decision's writer puts the
        # case back in its policy tier, with its new deadline.
        audit_record(
            action="case.escalation_closed",
            actor_kind=ActorKind.MODERATOR,
            actor_user=user,
            case_id=case_id,
            outcome={"by": "deadline_extended", "review_deadline": decision.review_deadline},
        )
    return decision
