"""Writes for partner webhooks: create deliveries for events, send one try, retry a dead letter.

The schedule, the signed POST and the outcome of a try are the platform callbacks' own
(`signed_json_post` and `attempt_outcome` in integrations/callbacks/services.py).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from integrations.callbacks.models import AttemptOutcome
from integrations.callbacks.services import (
    GIVE_UP_AFTER,
    SignedPost,
    attempt_outcome,
    claim_lease,
    signed_json_post,
)
from integrations.http import OutboundError
from integrations.partners.models import PartnerOrganisation
from integrations.partners.secrets import partner_signing_secrets
from integrations.partners.selectors import partner_can_see, partners_who_assessed
from integrations.partners.webhooks import WebhookEvent
from triage.audit.models import ActorKind
from triage.audit.services import audit_record
from triage.decisions.models import Decision
from triage.models import Case

from .models import PartnerDelivery, PartnerDeliveryState
from .tasks import deliver_partner_webhook

logger = logging.getLogger(__name__)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def case_new_body(case: Case) -> dict:
    return {
        "type": WebhookEvent.CASE_NEW,
        "case_id": case.pk,
        "audience_countries": case.audience_countries,
        "media_type": case.media_item.media_type if case.media_item_id else None,
        "created_at": _iso(case.created_at),
    }


def decision_body(decision: Decision) -> dict:
    """What a partner is told of a decision: never the notes or who decided it."""
    return {
        "type": WebhookEvent.DECISION,
        "case_id": decision.case_id,
        "decision_id": str(decision.decision_id),
        "phase": decision.phase,
        "verdict": decision.verdict,
        "actions": decision.actions,
        "decided_by": decision.decided_by,
        "issued_at": _iso(decision.created_at),
        "is_current": decision.is_current,
    }


def _enqueue(delivery_ids: list[int]) -> None:
    if not delivery_ids:
        return

    def send() -> None:

        for delivery_id in delivery_ids:
            try:
                deliver_partner_webhook.delay(delivery_id)
            except Exception:  # noqa: BLE001  (broker down: the due-rows sweep sends it later)
                logger.warning("could not enqueue partner delivery %s; the sweep will send it", delivery_id)

    transaction.on_commit(send)


def _subscribed(partner: PartnerOrganisation, event: str) -> bool:
    return bool(partner.enabled and partner.webhook_url and event in (partner.webhook_events or []))


def _create(*, partner, event: str, case_id: int, key: str, body: dict, now: datetime, decision=None):
    delivery, created = PartnerDelivery.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "partner": partner,
            "event": event,
            "case_id": case_id,
            "decision": decision,
            "url": partner.webhook_url,
            "body": body,
            "next_attempt_at": now,
            "give_up_at": now + GIVE_UP_AFTER,
        },
    )
    return delivery if created else None


@transaction.atomic
def case_new_fan_out(
    *, case_id: int, partners: list[PartnerOrganisation] | None = None, now: datetime | None = None
) -> list[PartnerDelivery]:
    """Tell every subscribed partner that sees the (live) case about it, once per partner."""
    now = now or timezone.now()
    case = Case.objects.select_related("media_item").filter(pk=case_id, merged_into__isnull=True).first()
    if case is None:
        return []
    if partners is None:
        partners = list(PartnerOrganisation.objects.filter(enabled=True).exclude(webhook_url=""))
    created = []
    for partner in partners:
        if not _subscribed(partner, WebhookEvent.CASE_NEW) or not partner_can_see(
            partner=partner, case_id=case.pk
        ):
            continue
        delivery = _create(
            partner=partner,
            event=WebhookEvent.CASE_NEW,
            case_id=case.pk,
            key=f"case.new:{case.pk}:{partner.pk}",
            body=case_new_body(case),
            now=now,
        )
        if delivery is not None:
            created.append(delivery)
    _enqueue([d.pk for d in created])
    return created


@transaction.atomic
def decision_fan_out(*, decision_id: int, now: datetime | None = None) -> list[PartnerDelivery]:
    """Tell every subscribed partner that assessed the case about its new decision."""
    now = now or timezone.now()
    decision = Decision.objects.filter(pk=decision_id).first()
    if decision is None:
        return []
    created = []
    for partner in partners_who_assessed(case_id=decision.case_id):
        if not _subscribed(partner, WebhookEvent.DECISION):
            continue
        delivery = _create(
            partner=partner,
            event=WebhookEvent.DECISION,
            case_id=decision.case_id,
            decision=decision,
            key=f"decision:{decision.decision_id}:{partner.pk}",
            body=decision_body(decision),
            now=now,
        )
        if delivery is not None:
            created.append(delivery)
    _enqueue([d.pk for d in created])
    return created


def _claim(*, delivery_id: int, now: datetime) -> bool:
    return bool(
        PartnerDelivery.objects.filter(
            pk=delivery_id, state=PartnerDeliveryState.PENDING, next_attempt_at__lte=now
        ).update(
            state=PartnerDeliveryState.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now
        )
    )


def delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> str | None:
    """Claim a due delivery, send it once, record the outcome; None if it was not ours to send.

    2xx: delivered. A 4xx other than 408/425/429, or a permanent transport error: dead letter at
    once. Anything else: retried (30 s, 1 m, 2 m … capped at 1 h, or the partner's Retry-After)
    until 24 hours after the event, then a dead letter.
    """
    now = now or timezone.now()
    if not _claim(delivery_id=delivery_id, now=now):
        return None
    delivery = PartnerDelivery.objects.select_related("partner").get(pk=delivery_id)
    url = delivery.partner.webhook_url if delivery.partner.enabled else ""
    if not url:
        gone = OutboundError("the partner is disabled or removed its webhook", permanent=True)
        sent = SignedPost(None, None, "", gone.message, gone)
    else:
        sent = signed_json_post(
            url=url,
            body=delivery.body,
            secrets=partner_signing_secrets(delivery.partner),
            idempotency_key=delivery.idempotency_key,
            allow_private=delivery.partner.webhook_allow_private,
            headers={"X-Moratorium-Event": delivery.event},
        )
    return _record(delivery_id=delivery_id, url=url or delivery.url, now=now, sent=sent)


@transaction.atomic
def _record(*, delivery_id: int, url: str, now: datetime, sent: SignedPost) -> str:
    delivery = PartnerDelivery.objects.select_for_update().select_related("partner").get(pk=delivery_id)
    outcome, retry_at, error = attempt_outcome(
        sent=sent,
        attempts=delivery.attempts,
        give_up_at=delivery.give_up_at,
        now=now,
        refused="the partner refused the delivery",
    )
    status = sent.status
    delivery.url = url
    delivery.last_status = status
    delivery.last_response_ms = sent.elapsed_ms
    delivery.last_error = "" if outcome == AttemptOutcome.DELIVERED else error[:500]
    delivery.claimed_at = None
    if outcome == AttemptOutcome.DELIVERED:
        delivery.state, delivery.delivered_at, delivery.next_attempt_at = (
            PartnerDeliveryState.DELIVERED,
            now,
            None,
        )
    elif outcome == AttemptOutcome.RETRY:
        delivery.state, delivery.next_attempt_at = PartnerDeliveryState.PENDING, retry_at
    else:
        delivery.state, delivery.dead_at, delivery.next_attempt_at = PartnerDeliveryState.DEAD, now, None
        audit_record(
            action="partner_delivery.dead",
            case_id=delivery.case_id,
            inputs={"delivery_id": delivery.pk, "partner_id": delivery.partner_id, "event": delivery.event},
            outcome={
                "reason": str(outcome),
                "status": status,
                "error": error[:200],
                "attempts": delivery.attempts,
            },
        )
    delivery.save()
    return str(outcome)


def deliveries_recover_claims(*, now: datetime | None = None) -> int:
    """Put back in line the deliveries whose worker died mid-send."""
    now = now or timezone.now()
    return PartnerDelivery.objects.filter(
        state=PartnerDeliveryState.SENDING, claimed_at__lt=now - claim_lease()
    ).update(state=PartnerDeliveryState.PENDING, next_attempt_at=now, claimed_at=None, updated_at=now)


def deliveries_due(*, now: datetime, limit: int = 500) -> list[int]:
    return list(
        PartnerDelivery.objects.filter(state=PartnerDeliveryState.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def delivery_retry(*, delivery_id: int, user=None, now: datetime | None = None) -> PartnerDelivery:
    """Send a dead letter again now, with a fresh day of retries (an operator's action)."""
    now = now or timezone.now()
    delivery = PartnerDelivery.objects.select_for_update().get(pk=delivery_id)
    if delivery.state != PartnerDeliveryState.DEAD:
        raise ValidationError("Only a dead letter can be retried.")
    delivery.state, delivery.next_attempt_at, delivery.dead_at = PartnerDeliveryState.PENDING, now, None
    delivery.give_up_at = now + timedelta(hours=24)
    delivery.save()
    audit_record(
        action="partner_delivery.retried",
        actor_kind=ActorKind.OPERATOR,
        actor_user=user,
        case_id=delivery.case_id,
        inputs={"delivery_id": delivery.pk, "partner_id": delivery.partner_id},
    )
    _enqueue([delivery.pk])
    return delivery
