"""Issue, check and revoke partner API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from triage.audit.models import ActorKind
from triage.audit.services import audit_record
from triage.models import Case

from .models import CaseShare, PartnerOrganisation, PartnerToken, Scope

TOKEN_PREFIX = "mor_"  # noqa: S105 - a public marker that tells tokens apart, not a secret
# last_used_at is written at most this often per token: not one UPDATE per API request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_hash(raw: str) -> str:
    """Return the hex SHA-256 under which a token is stored."""
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def partner_token_create(
    *,
    name: str,
    scopes: list[str],
    user=None,
    partner: PartnerOrganisation | None = None,
    expires_at=None,
    rotated_from: PartnerToken | None = None,
) -> tuple[PartnerToken, str]:
    """Create a token and return it with its secret value (shown once; only its hash is kept).

    The token belongs to `partner` (default: the organisation named `name`, created with an empty
    scope if new) and expires at `expires_at` (default: PARTNER_TOKEN_TTL_DAYS from now).
    """
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
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": ["Give an expiry in the future."]})
    if partner is None:
        partner, _ = PartnerOrganisation.objects.get_or_create(name=name[:100])
    if expires_at is None:
        expires_at = timezone.now() + timedelta(days=settings.PARTNER_TOKEN_TTL_DAYS)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)  # 256 random bits
    token = PartnerToken.objects.create(
        name=name,
        token_hash=token_hash(raw),
        prefix=raw[: len(TOKEN_PREFIX) + 4],
        scopes=sorted(set(scopes)),
        created_by=user,
        partner=partner,
        expires_at=expires_at,
        rotated_from=rotated_from,
    )
    audit_record(
        action="partner_token.created",
        actor_kind=ActorKind.OPERATOR,
        actor_user=user,
        inputs={"name": name, "scopes": token.scopes, "partner_id": partner.pk},
        outcome={
            "token_id": token.pk,
            "prefix": token.prefix,
            "expires_at": expires_at,
            "rotated_from": rotated_from.pk if rotated_from else None,
        },
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
    now = timezone.now()
    token = (
        PartnerToken.objects.filter(token_hash=token_hash(raw), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("partner")
        .first()
    )
    if token is None or (token.partner is not None and not token.partner.enabled):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        PartnerToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def partner_token_rotate(
    *, token: PartnerToken, user=None, grace: timedelta = timedelta(0)
) -> tuple[PartnerToken, str]:
    """Issue a successor (same organisation, name and scopes; a fresh expiry) and retire `token`.

    With a `grace`, the old token keeps working until then (so a partner can redeploy); without
    one it is revoked at once. The new secret is returned once, like any new token.
    """
    token = PartnerToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError({"token": ["A revoked token cannot be rotated; create a new one."]})
    if hasattr(token, "rotated_to"):
        raise ValidationError({"token": ["This token was already rotated."]})
    new, raw = partner_token_create(
        name=token.name, scopes=token.scopes, user=user, partner=token.partner, rotated_from=token
    )
    if grace > timedelta(0):
        until = timezone.now() + grace
        if token.expires_at is None or token.expires_at > until:
            token.expires_at = until
            token.save(update_fields=["expires_at"])
    else:
        partner_token_revoke(token=token, user=user)
    audit_record(
        action="partner_token.rotated",
        actor_kind=ActorKind.OPERATOR,
        actor_user=user,
        inputs={"token_id": token.pk, "grace_seconds": int(grace.total_seconds())},
        outcome={"new_token_id": new.pk, "prefix": new.prefix, "old_expires_at": token.expires_at},
    )
    return new, raw


def _codes(values, *, upper: bool, field: str, errors: dict, pattern: str, example: str) -> list[str]:

    cleaned = []
    for value in values or []:
        code = str(value).strip()
        if not re.fullmatch(pattern, code):
            errors.setdefault(field, []).append(f"{value!r} is not a code like {example}.")
            continue
        cleaned.append(code.upper() if upper else code.lower())
    return sorted(set(cleaned))


@transaction.atomic
def partner_organisation_save(
    *,
    name: str,
    countries: list[str] | None = None,
    languages: list[str] | None = None,
    url: str = "",
    user=None,
) -> PartnerOrganisation:
    """Create or update the organisation `name` with its scope (countries, languages)."""
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = ["Name the organisation."]
    country_codes = _codes(
        countries, upper=True, field="countries", errors=errors, pattern=r"[A-Za-z]{2}", example="SK"
    )
    language_codes = _codes(
        languages, upper=False, field="languages", errors=errors, pattern=r"[A-Za-z]{2,3}", example="sk"
    )
    if errors:
        raise ValidationError(errors)
    partner, created = PartnerOrganisation.objects.update_or_create(
        name=name, defaults={"countries": country_codes, "languages": language_codes, "url": url}
    )
    audit_record(
        action="partner.created" if created else "partner.updated",
        actor_kind=ActorKind.OPERATOR,
        actor_user=user,
        inputs={"name": name, "countries": country_codes, "languages": language_codes},
        outcome={"partner_id": partner.pk},
    )
    return partner


@transaction.atomic
def case_share(*, case_id: int, partner: PartnerOrganisation, user=None, note: str = ""):
    """Show a case to a partner outside its scope (idempotent); audited."""

    case = Case.objects.get(pk=case_id)
    share, created = CaseShare.objects.get_or_create(
        case=case, partner=partner, defaults={"shared_by": user, "note": note}
    )
    if created:
        audit_record(
            action="case.shared_with_partner",
            actor_kind=ActorKind.MODERATOR,
            actor_user=user,
            case=case,
            inputs={"partner_id": partner.pk, "partner": partner.name, "note": note},
        )
    return share
