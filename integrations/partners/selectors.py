"""Reads for partner organisations: which cases a partner sees, what they say, its assessments.

A case is visible to a partner when its audience includes one of the partner's countries, when
its content is in one of the partner's languages, or when a moderator shared it. Everything else
is invisible: the API answers 404 for it exactly as for an id that does not exist.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import IsNull

from triage.models import Case, SubmissionMedia

from .models import AssessmentState, CaseShare, DebunkState, PartnerAssessment, PartnerOrganisation


def country_audience_q(country: str) -> Q:
    """Match cases whose audience includes `country` (a token of the comma-joined audience_key)."""
    code = country.upper()
    return (
        Q(audience_key=code)
        | Q(audience_key__startswith=f"{code},")
        | Q(audience_key__endswith=f",{code}")
        | Q(audience_key__contains=f",{code},")
    )


def language_q(languages: list[str], *, whole_set: bool = False) -> Q:
    """Match cases with content in one of `languages` (ISO 639-1; "sk" also matches "sk-SK").

    whole_set: for a count of every match, the set of cases with posts in the languages, read once
    (a hashed subplan: 0.2 s instead of 0.9 s for a count at 100,000 cases, bench/api), where a
    page, which reads a few rows, wants the per-case probe below.
    """
    match = Q()
    for code in languages:
        match |= Q(submission__language__iexact=code) | Q(submission__language__istartswith=f"{code}-")
    if whole_set:
        return Q(pk__in=SubmissionMedia.objects.filter(match).values("case_id"))
    entries = SubmissionMedia.objects.filter(match, case_id=OuterRef("pk"))
    # A correlated "first matching post" probe (the entries' case index, then the post by its
    # key), not EXISTS: PostgreSQL may turn an EXISTS inside an OR into a hashed subplan that
    # reads every post of every case in the language before the first page (measured 0.5 s at
    # 100,000 cases), where the case list needs only the few rows it walks (bench/api).
    return Q(IsNull(Subquery(entries.order_by().values("pk")[:1]), False))


def partner_scope_q(partner: PartnerOrganisation, *, whole_set: bool = False) -> Q:
    """Return the Q a Case must match to be visible to `partner` (nothing when its scope is empty).

    whole_set: the same cases, in the form that suits counting all of them (see language_q).
    """
    if whole_set:
        visible = Q(pk__in=CaseShare.objects.filter(partner_id=partner.pk).values("case_id"))
    else:
        visible = Q(Exists(CaseShare.objects.filter(partner_id=partner.pk, case_id=OuterRef("pk"))))
    for country in partner.countries or []:
        visible |= country_audience_q(country)
    if partner.languages:
        visible |= language_q(partner.languages, whole_set=whole_set)
    return visible


def partner_can_see(*, partner: PartnerOrganisation, case_id: int) -> bool:
    return Case.objects.filter(partner_scope_q(partner), pk=case_id, merged_into__isnull=True).exists()


def partners_in_scope_of(*, case_id: int) -> list[PartnerOrganisation]:
    """Return the enabled partners that see the case (for webhooks about new cases)."""
    return [
        partner
        for partner in PartnerOrganisation.objects.filter(enabled=True)
        if partner_can_see(partner=partner, case_id=case_id)
    ]


def _primary(language: str) -> str:
    return language.split("-")[0].lower() if language else ""


def cases_content(*, case_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Return, per case, what was posted: the text, subjects, language and public URLs.

    Taken from the posts that carried the case's media (oldest first), without anything about
    who reported them (no report notes, sources or reporters). One query for a whole page.
    """
    rows = (
        SubmissionMedia.objects.filter(case_id__in=case_ids)
        .order_by("submission__created_at", "submission_id")
        .values_list(
            "case_id",
            "submission__text",
            "submission__subjects",
            "submission__language",
            "submission__content_url",
        )
    )
    content: dict[int, dict[str, Any]] = {
        pk: {"text": "", "texts": [], "subjects": [], "language": "", "public_urls": [], "_langs": Counter()}
        for pk in case_ids
    }
    for case_id, text, subjects, language, url in rows:
        entry = content[case_id]
        if text and text not in entry["texts"]:
            entry["texts"].append(text)
        for subject in subjects or []:
            if subject not in entry["subjects"]:
                entry["subjects"].append(subject)
        if language:
            entry["_langs"][_primary(language)] += 1
        if url and url not in entry["public_urls"]:
            entry["public_urls"].append(url)
    for entry in content.values():
        entry["text"] = entry["texts"][0] if entry["texts"] else ""
        langs = entry.pop("_langs")
        entry["language"] = langs.most_common(1)[0][0] if langs else ""
    return content


def partner_assessments(*, partner: PartnerOrganisation) -> QuerySet[PartnerAssessment]:
    return PartnerAssessment.objects.filter(partner=partner).select_related("case", "partner")


def partner_assessment(*, partner: PartnerOrganisation, public_id) -> PartnerAssessment | None:
    return partner_assessments(partner=partner).filter(public_id=public_id).first()


def case_fact_checks(*, case_id: int) -> list[PartnerAssessment]:
    """Return the published partner assessments of a case, newest first (the `fact_checked` input)."""
    return list(
        PartnerAssessment.objects.filter(case_id=case_id, state=AssessmentState.PUBLISHED)
        .select_related("partner")
        .order_by("-updated_at", "-pk")
    )


def partners_who_assessed(*, case_id: int) -> list[PartnerOrganisation]:
    """Return the partners with an assessment of the case (published or withdrawn)."""
    ids = PartnerAssessment.objects.filter(case_id=case_id).values("partner_id")
    return list(PartnerOrganisation.objects.filter(pk__in=ids, enabled=True))


def assessments_awaiting_debunk(*, case_id: int | None = None) -> QuerySet[PartnerAssessment]:
    """Return published false/manipulated ratings a moderator has not yet confirmed or dismissed."""

    qs = PartnerAssessment.objects.filter(
        state=AssessmentState.PUBLISHED, debunk_state=DebunkState.AWAITING
    ).select_related("partner", "case")
    if case_id is not None:
        qs = qs.filter(case_id=case_id)
    return qs.order_by("created_at")
