"""Policy versions: create a draft (the way to "edit" a policy), activate it, validate its rules."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from triage.audit.models import ActorKind
from triage.audit.services import audit_record

from ..engine import rules_validate
from ..models import PolicyStatus, PolicyVersion


def _raise_if_invalid(rules: Any) -> None:
    errors = rules_validate(rules)
    if errors:
        raise ValidationError({"rules": [f"{key}: {msg}" for key, msgs in errors.items() for msg in msgs]})


@transaction.atomic
def policy_draft_create(
    *, rules: dict[str, Any], description: str = "", user=None, based_on: PolicyVersion | None = None
) -> PolicyVersion:
    """Create a new draft version (the way to "edit" a policy: active versions never change)."""
    _raise_if_invalid(rules)
    # Lock the table's newest row so two drafts created at once don't take the same number.
    latest = PolicyVersion.objects.select_for_update().order_by("-version").first()
    version = (latest.version if latest else 0) + 1
    draft = PolicyVersion.objects.create(
        version=version, status=PolicyStatus.DRAFT, rules=rules, description=description, created_by=user
    )
    audit_record(
        action="policy.draft_created",
        actor_kind=ActorKind.OPERATOR if user else ActorKind.SYSTEM,
        actor_user=user,
        inputs={"based_on": based_on.version if based_on else None},
        outcome={"version": version},
        policy_version=version,
    )
    return draft


@transaction.atomic
def policy_activate(*, policy_version_id: int, user=None) -> PolicyVersion:
    """Make a draft the active policy (retiring the previous one). Cases are re-decided lazily."""
    version = PolicyVersion.objects.select_for_update().get(pk=policy_version_id)
    if version.status == PolicyStatus.ACTIVE:
        return version
    if version.status == PolicyStatus.RETIRED:
        raise ValidationError(
            {"status": ["A retired version cannot be activated again; copy it to a draft."]}
        )
    _raise_if_invalid(version.rules)
    previous = PolicyVersion.objects.select_for_update().filter(status=PolicyStatus.ACTIVE).first()
    if previous is not None:
        previous.status = PolicyStatus.RETIRED
        previous.save(update_fields=["status"])
    version.status = PolicyStatus.ACTIVE
    version.activated_at = timezone.now()
    version.save(update_fields=["status", "activated_at"])
    audit_record(
        action="policy.activated",
        actor_kind=ActorKind.OPERATOR if user else ActorKind.SYSTEM,
        actor_user=user,
        inputs={"previous_version": previous.version if previous else None},
        outcome={"version": version.version},
        policy_version=version.version,
    )
    return version
