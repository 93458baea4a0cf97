"""A partner registers one webhook: where to be told of new cases in its scope and of decisions on
cases it assessed. Deliveries are signed as platform callbacks are (integrations/partner_webhooks).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction

from integrations.http import BlockedAddressError, OutboundError, resolve_checked
from triage.audit.models import ActorKind
from triage.audit.services import audit_record

from .models import PartnerOrganisation
from .secrets import secret_encrypt, secret_generate


class WebhookEvent:
    CASE_NEW = "case.new"
    DECISION = "decision"
    ALL = (CASE_NEW, DECISION)


def _audit(action: str, partner: PartnerOrganisation, token, **outcome) -> None:
    audit_record(
        action=action,
        actor_kind=ActorKind.PARTNER,
        inputs={"partner_id": partner.pk, "token_id": token.pk if token else None},
        outcome=outcome,
    )


def _reachable_or_refuse(url: str, *, allow_private: bool) -> None:
    """Refuse now a URL every delivery would refuse (a loopback, private or metadata address), so
    the partner hears it from the registration's 400, not from dead letters it never sees.

    A name that does not resolve yet is accepted: deliveries retry a resolution failure.
    """
    parts = urlsplit(url)
    try:
        resolve_checked(parts.hostname or "", parts.port or 443, allow_private=allow_private)
    except BlockedAddressError as exc:
        raise ValidationError({"url": [f"Deliveries would be {exc}: give a public address."]}) from None
    except OutboundError:
        pass


@transaction.atomic
def webhook_register(*, partner: PartnerOrganisation, url: str, events: list[str], token=None) -> str | None:
    """Set the partner's webhook; return a new signing secret when one was made (shown once)."""
    unknown = sorted(set(events) - set(WebhookEvent.ALL))
    if unknown or not events:
        raise ValidationError({"events": [f"Choose one or more of: {', '.join(WebhookEvent.ALL)}."]})
    partner = PartnerOrganisation.objects.select_for_update().get(pk=partner.pk)
    _reachable_or_refuse(url, allow_private=partner.webhook_allow_private)
    partner.webhook_url = url
    partner.webhook_events = sorted(set(events))
    secret = None
    if not partner.webhook_secret:
        secret = secret_generate()
        partner.webhook_secret = secret_encrypt(secret)
    partner.save(update_fields=["webhook_url", "webhook_events", "webhook_secret"])
    _audit("partner_webhook.registered", partner, token, url=url, events=partner.webhook_events)
    return secret


@transaction.atomic
def webhook_secret_rotate(*, partner: PartnerOrganisation, token=None) -> str:
    """Make a new secret; the previous one keeps signing beside it until the next rotation."""
    partner = PartnerOrganisation.objects.select_for_update().get(pk=partner.pk)
    if not partner.webhook_url:
        raise ValidationError({"url": ["Register a webhook first."]})
    secret = secret_generate()
    partner.webhook_previous_secret = partner.webhook_secret
    partner.webhook_secret = secret_encrypt(secret)
    partner.save(update_fields=["webhook_secret", "webhook_previous_secret"])
    _audit("partner_webhook.secret_rotated", partner, token)
    return secret


@transaction.atomic
def webhook_remove(*, partner: PartnerOrganisation, token=None) -> None:
    PartnerOrganisation.objects.filter(pk=partner.pk).update(
        webhook_url="", webhook_events=[], webhook_secret="", webhook_previous_secret=""
    )
    _audit("partner_webhook.removed", partner, token)
