"""The "fingerprint" check: does this media match anything in the fingerprint banks?

A thin wrapper over triage.evidence.banks.services.bank_match_file (the banks app owns hashing,
indexes and thresholds); the verdict reads `matches` in the same shape `bank_match --json` prints.
"""

from __future__ import annotations

from triage.evidence.banks.models import BankedItem
from triage.evidence.base import Check, CheckResult, MediaFile


class FingerprintCheck(Check):
    kind = "fingerprint"
    version = "1"

    def _run(self, media: MediaFile) -> CheckResult:
        # keeps faiss and PyAV out of processes that never fingerprint
        from triage.evidence.banks.services import UnparseableMediaError, bank_match_file

        truncated: list[str] = []
        try:
            matches = bank_match_file(path=media.path, media_type=media.media_type, notes=truncated)
        except UnparseableMediaError as exc:
            return self.result("unparseable", matches=[], error=str(exc)[:300])
        shaped = [
            {
                "bank": m.bank,
                "purpose": m.purpose,
                "distance": m.distance,
                "item": {"sha256": m.item["sha256"], "original_name": m.item["original_name"]},
            }
            for m in matches
        ]
        _attach_fact_checks(shaped)
        purposes = sorted({m["purpose"] for m in shaped})
        label = "match:" + ",".join(purposes) if shaped else "no_match"
        if truncated:  # only the first MAX_AUDIO_SECONDS of a long recording was fingerprinted
            return self.result(label, matches=shaped, truncated=truncated)
        return self.result(label, matches=shaped)


def _attach_fact_checks(shaped: list[dict]) -> None:
    """A debunked bank's item may carry the fact-check that debunked it (metadata["fact_check"]):
    rating, fact_checker, published_at, url. The policy reads it as `fact_checked` (issue 11)."""
    debunked = [m for m in shaped if m["purpose"] == "debunked"]
    if not debunked:
        return

    for match in debunked:
        metadata = (
            BankedItem.objects.filter(bank__name=match["bank"], sha256=match["item"]["sha256"])
            .values_list("metadata", flat=True)
            .first()
        )
        found = (metadata or {}).get("fact_check") if isinstance(metadata, dict) else None
        if isinstance(found, dict):
            match["item"]["fact_check"] = {
                key: str(found[key])[:500]
                for key in ("rating", "fact_checker", "published_at", "url")
                if found.get(key)
            }
