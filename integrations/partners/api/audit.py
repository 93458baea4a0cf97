"""Every partner read and write is in the audit log: who (organisation and token), what, the answer."""

from __future__ import annotations

from integrations.partners.models import PartnerToken
from triage.audit.models import ActorKind
from triage.audit.services import audit_record

QUERY_CHARS = 500


def partner_request_audit(
    *, request, response, case_id: int | None = None, extra: dict | None = None
) -> None:
    """Record one partner request. Only an answered, visible case is linked (a 404's id is an input)."""
    token = request.auth
    if not isinstance(token, PartnerToken):
        return
    ok = 200 <= response.status_code < 300
    audit_record(
        action="partner_api.write"
        if request.method not in ("GET", "HEAD", "OPTIONS")
        else "partner_api.read",
        actor_kind=ActorKind.PARTNER,
        case_id=case_id if ok else None,
        inputs={
            "partner_id": token.partner_id,
            "token_id": token.pk,
            "token_prefix": token.prefix,
            "method": request.method,
            "path": request.path[:300],
            "query": request.META.get("QUERY_STRING", "")[:QUERY_CHARS],
            **({"case_id": case_id} if case_id is not None else {}),
        },
        outcome={"status": response.status_code, **(extra or {})},
    )
