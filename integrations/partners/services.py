"""Issue, check and revoke partner API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from triage.audit.models import ActorKind
from triage.audit.services import audit_record

from .models import PartnerToken, Scope

TOKEN_PREFIX = "mor_"  # noqa: S105 - a public marker that tells tokens apart, not a secret
# last_used_at is written at most this often per token: not one UPDATE per API request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_hash(raw: str) -> str:
    """Return the hex SHA-256 under which a token is stored."""
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def partner_token_create(*, name: str, scopes: list[str], user=None) -> tuple[PartnerToken, str]:
    """Create a token and return it with its secret value (shown once; only its hash is kept)."""
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = ["Name the partner that will hold the token."]
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        errors["scopes"] = [f"Unknown scope(s) {', '.join(unknown)}; choose from {', '.join(Scope.values)}."]
    elif not scopes:
        errors["scopes"] = [f"Give at least one scope: {', '.join(Scope.values)}."]
    if errors:
        raise ValidationError(errors)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)  # 256 random bits
    token = PartnerToken.objects.create(
        name=name,
        token_hash=token_hash(raw),
        prefix=raw[: len(TOKEN_PREFIX) + 4],
        scopes=sorted(set(scopes)),
        created_by=user,
    )
    audit_record(
        action="partner_token.created",
        actor_kind=ActorKind.OPERATOR,
        actor_user=user,
        inputs={"name": name, "scopes": token.scopes},
        outcome={"token_id": token.pk, "prefix": token.prefix},
    )
    return token, raw


@transaction.atomic
def partner_token_revoke(*, token: PartnerToken, user=None) -> PartnerToken:
    """Revoke a token at once (the next request with it is refused)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            action="partner_token.revoked",
            actor_kind=ActorKind.OPERATOR,
            actor_user=user,
            inputs={"token_id": token.pk, "name": token.name},
        )
    return token


def partner_token_authenticate(*, raw: str) -> PartnerToken | None:
    """Return the active token matching `raw`, recording its use, or None."""
    if not raw or len(raw) > 200:
        return None
    token = PartnerToken.objects.filter(token_hash=token_hash(raw), revoked_at__isnull=True).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        PartnerToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
