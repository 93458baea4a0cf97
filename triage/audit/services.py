"""Write to the audit log. The one way any step records itself."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from .models import ActorKind, AuditEvent


def _jsonable(value: dict[str, Any] | None) -> dict[str, Any]:

    return json.loads(json.dumps(value or {}, cls=DjangoJSONEncoder))


def audit_record(
    *,
    action: str,
    actor_kind: str = ActorKind.SYSTEM,
    actor_user=None,
    case=None,
    case_id: int | None = None,
    inputs: dict[str, Any] | None = None,
    outcome: dict[str, Any] | None = None,
    policy_version: int | None = None,
) -> AuditEvent:
    """Append one event. Call inside the transaction of the step it records, so both land or neither."""
    return AuditEvent.objects.create(
        action=action,
        actor_kind=actor_kind,
        actor_user=actor_user,
        case_id=case.pk if case is not None else case_id,
        inputs=_jsonable(inputs),
        outcome=_jsonable(outcome),
        policy_version=policy_version,
    )
