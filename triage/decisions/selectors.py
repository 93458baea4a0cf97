"""Reads of the policy: current decisions, the review queue, the active version."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from triage.models import Case, CaseStatus

from .models import DecidedBy, Decision, PolicyStatus, PolicyVersion


def policy_active() -> PolicyVersion | None:
    return PolicyVersion.objects.filter(status=PolicyStatus.ACTIVE).first()


def decision_current(*, case_id: int) -> Decision | None:
    return (
        Decision.objects.select_related("policy_version", "supersedes")
        .filter(case_id=case_id, is_current=True)
        .first()
    )


def decisions_for_case(*, case_id: int) -> QuerySet[Decision]:
    return Decision.objects.filter(case_id=case_id).order_by("-created_at", "-pk")


def cases_review_queue() -> QuerySet[Case]:
    """Cases a human must look at, most urgent first (silence holds, then earliest deadline)."""
    return Case.objects.filter(status=CaseStatus.AWAITING_REVIEW, merged_into__isnull=True).order_by(
        "-priority", "created_at"
    )


def cases_redecidable() -> QuerySet[Case]:
    """Live cases the active policy may re-decide, oldest first.

    The same cases `case_decide_by_policy` would act on: not merged, with stored media, and no
    moderator's decision current (a human decision stands until a human changes it).
    """
    moderator_current = Decision.objects.filter(
        case=OuterRef("pk"), is_current=True, decided_by=DecidedBy.MODERATOR
    )
    return (
        Case.objects.filter(merged_into__isnull=True, media_item__isnull=False)
        .exclude(status=CaseStatus.MERGED)
        .exclude(Exists(moderator_current))
        .order_by("pk")
    )
