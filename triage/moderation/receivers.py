"""Reopen a human-decided case when new evidence arrives (see triage/moderation/reopen.py)."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from triage.models import Case
from triage.signals import media_item_stored, verdict_fused

from .reopen import case_reopen

logger = logging.getLogger(__name__)


@receiver(media_item_stored, dispatch_uid="dashboard.reopen_on_new_report")
def reopen_on_new_report(sender, *, media_item_id: int, case_id: int, created: bool, **kwargs) -> None:
    # Sent on commit once a report's media is attached: a new report about a decided case.
    from .reopen import case_reopen_for_new_report

    try:
        case_reopen_for_new_report(case_id=case_id, media_item_id=media_item_id)
    except Exception:
        logger.exception("could not reopen case %s on a new report", case_id)


@receiver(verdict_fused, dispatch_uid="dashboard.reopen_on_bank_match")
def reopen_on_bank_match(sender, *, media_item_id: int, verdict_id: int, **kwargs) -> None:
    # A new verdict whose fingerprint check matched a bank (a hash a fact-checker shared, an
    # authentic recording): new evidence on every human-decided case of that media.
    from triage.evidence.models import Verdict

    try:
        verdict = Verdict.objects.filter(pk=verdict_id).select_related("run").first()
        if verdict is None:
            return
        matches = [
            m
            for result in verdict.run.results.filter(kind="fingerprint")
            for m in (result.evidence or {}).get("matches") or []
        ]
        if not matches:
            return
        banks = sorted({str(m.get("bank", "")) for m in matches})
        for case_id in Case.objects.filter(media_item_id=media_item_id, merged_into__isnull=True).values_list(
            "pk", flat=True
        ):
            case_reopen(
                case_id=case_id, reason="bank_match", details={"verdict_id": verdict_id, "banks": banks}
            )
    except Exception:
        logger.exception("could not reopen the cases of media %s on a bank match", media_item_id)
