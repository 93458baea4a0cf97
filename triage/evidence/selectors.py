"""Reads: verdicts and check results for moderators and the API."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import CheckResult, DetectorConfig, Verdict


def verdict_latest_for_media(*, media_item_id: int) -> Verdict | None:
    return Verdict.objects.filter(media_item_id=media_item_id).order_by("-created_at").first()


def check_results_for_media(*, media_item_id: int) -> QuerySet[CheckResult]:
    return CheckResult.objects.filter(media_item_id=media_item_id).order_by("kind", "version")


NO_DETECTOR_WARNING = (
    "No detector is configured. Verdicts come only from provenance, metadata and fingerprint banks: "
    'a fresh fake nobody has banked gets "no signal". In a silence window such media is held for a '
    "human as unverified, never released on absence of evidence; configure a detector in the admin "
    "(Checks → Detector configs)."
)


def detectors_configured() -> bool:
    """Whether any detector vendor is enabled (the demo and the dashboard warn loudly when none is)."""

    return DetectorConfig.objects.filter(enabled=True).exists()
