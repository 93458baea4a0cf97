"""Reads: verdicts and check results for moderators and the API."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import CheckResult, Verdict


def verdict_latest_for_media(*, media_item_id: int) -> Verdict | None:
    return Verdict.objects.filter(media_item_id=media_item_id).order_by("-created_at").first()


def check_results_for_media(*, media_item_id: int) -> QuerySet[CheckResult]:
    return CheckResult.objects.filter(media_item_id=media_item_id).order_by("kind", "version")
