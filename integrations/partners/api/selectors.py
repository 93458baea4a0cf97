"""Reads behind the partner API: live cases without reporters' data, decisions, the calendar status."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet

from elections.status import countries_in_focus, country_status
from integrations.partners.selectors import partner_scope_q
from triage.decisions.models import Decision
from triage.models import Case, CaseStatus, Submission


def case_audience_q(country: str) -> Q:
    """Match cases whose audience includes `country` (a token of the sorted, comma-joined audience_key)."""
    code = country.upper()
    return (
        Q(audience_key=code)
        | Q(audience_key__startswith=f"{code},")
        | Q(audience_key__endswith=f",{code}")
        | Q(audience_key__contains=f",{code},")
    )


PARTNER_DECISION_FIELDS = (
    "decision_id", "case_id", "phase", "verdict", "actions", "decided_by", "policy_version", "created_at",
)  # fmt: skip


def partner_cases(*, partner=None, whole_set: bool = False) -> QuerySet[Case]:
    """Return live (unmerged) cases, newest first, with media and the current decision prefetched.

    With a partner (PartnerOrganisation), only the cases in its scope or shared with it.
    whole_set: for counting them all (partner_scope_q), not for reading a page.
    """
    # Only what a partner is shown of the decision: never its internal notes, and not the policy
    # version's rules (a large JSON document per row, parsed for nothing).
    current = Prefetch(
        "decisions",
        queryset=Decision.objects.filter(is_current=True)
        .select_related("policy_version")
        .only(*PARTNER_DECISION_FIELDS, "policy_version__version"),
        to_attr="current_decisions",
    )
    cases = Case.objects.all()
    if partner is not None:
        cases = cases.filter(partner_scope_q(partner, whole_set=whole_set))
    return (
        cases.filter(merged_into__isnull=True)
        .exclude(status=CaseStatus.MERGED)
        .select_related("media_item")
        .prefetch_related(current)
        .order_by("-created_at", "-pk")
    )


def partner_case(*, case_id: int, partner=None) -> Case | None:
    return partner_cases(partner=partner).filter(pk=case_id).first()


def case_decisions(*, case_id: int) -> QuerySet[Decision]:
    """Return every decision on a case, newest first (the current one and those it superseded)."""
    return (
        Decision.objects.filter(case_id=case_id)
        .select_related("policy_version", "supersedes")
        .order_by("-created_at", "-pk")
    )


def case_content_urls(*, case_id: int) -> list[str]:
    """Return where the case's media was posted (platforms' public URLs), for MediaReview appearances."""
    ids = Case.objects.get(pk=case_id).submission_media.values("submission_id")
    urls = Submission.objects.filter(pk__in=ids).exclude(content_url="").order_by("created_at")
    return list(dict.fromkeys(urls.values_list("content_url", flat=True)))


def calendar_status(*, country: str | None, at: datetime) -> list[dict]:
    """Return the `silence_status --json` objects at `at`: for `country`, or every country in
    silence or in an election period."""
    codes = [country.upper()] if country else countries_in_focus(at=at)
    return [country_status(country=code, at=at) for code in codes]
