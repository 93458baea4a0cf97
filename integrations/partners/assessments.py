"""Partner assessments: a fact-checker's MediaReview and ClaimReview ratings of a case.

An assessment is a strong human signal. Recording one (or changing or withdrawing it) sends
`fact_check_recorded` once the transaction commits, so the policy re-decides the case with the
`fact_checked` input. A false/manipulated MediaReview rating is put before a moderator, who may
add the media to the debunked bank; the partner's word alone never writes evidence.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from triage.audit.models import ActorKind
from triage.audit.services import audit_record
from triage.decisions.fact_checked import case_fact_check_record, case_fact_check_withdraw
from triage.decisions.models import FactCheckRating
from triage.models import Case
from triage.signals import fact_check_recorded

from .models import (
    MANIPULATED_CATEGORIES,
    AssessmentState,
    DebunkState,
    PartnerAssessment,
    PartnerOrganisation,
    PartnerToken,
)

# The fields a partner writes, as the API's serializer hands them over (already validated).
FIELDS = (
    "media_authenticity_category",
    "original_media_context_description",
    "original_media_link",
    "claim_reviewed",
    "rating_alternate_name",
    "rating_value",
    "best_rating",
    "worst_rating",
    "explanation",
    "language",
    "evidence_urls",
    "published_url",
)

logger = logging.getLogger(__name__)


class AssessmentConflictError(ValidationError):
    """The partner already has a published assessment of the case: update it instead."""


def _signal(*, case_id: int, assessment_id: int, change: str) -> None:
    transaction.on_commit(
        lambda: fact_check_recorded.send(
            sender=PartnerAssessment, case_id=case_id, assessment_id=assessment_id, change=change
        )
    )


def _fact_check_for_policy(assessment: PartnerAssessment) -> None:
    """A published false/manipulated rating with its public review becomes the policy's `fact_checked`.

    The partner's word is a strong human signal (issue 11): recorded as a FactCheck it gives the
    "disputed by independent fact-checkers" label, a hold in silence and escalation when reported as
    voter suppression. Only a rating the partner has published (a public URL) counts; adding the
    media to the debunked bank still waits for a moderator.
    """
    manipulated = assessment.media_authenticity_category in MANIPULATED_CATEGORIES
    if assessment.state != AssessmentState.PUBLISHED or not manipulated or not assessment.published_url:
        return
    claimed_false = "false" in (assessment.rating_alternate_name or "").casefold()
    try:
        case_fact_check_record(
            case_id=assessment.case_id,
            rating=FactCheckRating.FALSE if claimed_false else FactCheckRating.MANIPULATED,
            fact_checker=assessment.partner.name,
            published_at=assessment.updated_at or timezone.now(),
            url=assessment.published_url,
            claim_reviewed=assessment.claim_reviewed,
            recorded_by=f"partner {assessment.partner_id}",
        )
    except ValidationError:  # e.g. a review URL the fact-check record refuses: the assessment stands
        logger.warning("assessment %s not recorded as a fact-check", assessment.pk)


def _debunk_state(assessment: PartnerAssessment) -> str:
    """Awaiting a moderator when the rating says false/manipulated and there is media to bank."""
    if assessment.debunk_state in (DebunkState.CONFIRMED, DebunkState.DISMISSED):
        return assessment.debunk_state
    manipulated = assessment.media_authenticity_category in MANIPULATED_CATEGORIES
    return DebunkState.AWAITING if manipulated and assessment.media_item_id else DebunkState.NOT_APPLICABLE


def _summary(assessment: PartnerAssessment) -> dict[str, Any]:
    return {
        "assessment_id": str(assessment.public_id),
        "partner_id": assessment.partner_id,
        "mediaAuthenticityCategory": assessment.media_authenticity_category,
        "alternateName": assessment.rating_alternate_name,
        "state": assessment.state,
        "debunk_state": assessment.debunk_state,
    }


def _check(data: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if data.get("media_authenticity_category") == "DecontextualizedContent" and not data.get(
        "original_media_context_description"
    ):
        errors["original_media_context_description"] = ["Required for DecontextualizedContent."]
    numbers = [data.get(k) for k in ("worst_rating", "rating_value", "best_rating")]
    if all(n is not None for n in numbers):
        low, high = sorted((numbers[0], numbers[2]))
        if not low <= numbers[1] <= high:
            errors["rating_value"] = ["Must lie between worstRating and bestRating."]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def assessment_create(
    *, partner: PartnerOrganisation, token: PartnerToken | None, case_id: int, data: dict[str, Any]
) -> PartnerAssessment:
    """Record a partner's assessment of a case it sees (the caller checked the scope)."""
    _check(data)
    case = Case.objects.select_for_update(of=("self",)).get(pk=case_id)
    if PartnerAssessment.objects.filter(partner=partner, case=case, state=AssessmentState.PUBLISHED).exists():
        raise AssessmentConflictError(
            {"case": ["Your organisation already assessed this case: update or withdraw that assessment."]}
        )
    assessment = PartnerAssessment(
        public_id=uuid.uuid4(),
        partner=partner,
        case=case,
        media_item_id=case.media_item_id,
        token=token,
        **{k: data[k] for k in FIELDS if k in data},
    )
    assessment.debunk_state = _debunk_state(assessment)
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError:  # a concurrent create won the unique constraint
        raise AssessmentConflictError({"case": ["Your organisation already assessed this case."]}) from None
    audit_record(
        action="partner_assessment.created",
        actor_kind=ActorKind.PARTNER,
        case=case,
        inputs={"partner_id": partner.pk, "token_id": token.pk if token else None},
        outcome=_summary(assessment),
    )
    _fact_check_for_policy(assessment)
    _signal(case_id=case.pk, assessment_id=assessment.pk, change="created")
    return assessment


@transaction.atomic
def assessment_update(*, assessment: PartnerAssessment, token: PartnerToken | None, data: dict[str, Any]):
    """Change a published assessment (a withdrawn one stays as it was withdrawn)."""
    assessment = PartnerAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.state != AssessmentState.PUBLISHED:
        raise ValidationError({"state": ["A withdrawn assessment cannot be changed; create a new one."]})
    merged = {k: getattr(assessment, k) for k in FIELDS}
    merged.update({k: v for k, v in data.items() if k in FIELDS})
    _check(merged)
    for key, value in merged.items():
        setattr(assessment, key, value)
    assessment.debunk_state = _debunk_state(assessment)
    assessment.save()
    audit_record(
        action="partner_assessment.updated",
        actor_kind=ActorKind.PARTNER,
        case_id=assessment.case_id,
        inputs={"partner_id": assessment.partner_id, "token_id": token.pk if token else None},
        outcome=_summary(assessment),
    )
    _fact_check_for_policy(assessment)
    _signal(case_id=assessment.case_id, assessment_id=assessment.pk, change="updated")
    return assessment


@transaction.atomic
def assessment_withdraw(*, assessment: PartnerAssessment, token: PartnerToken | None) -> PartnerAssessment:
    """Withdraw an assessment (idempotent); it no longer counts, and awaits no moderator."""
    assessment = PartnerAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.state == AssessmentState.WITHDRAWN:
        return assessment
    assessment.state = AssessmentState.WITHDRAWN
    assessment.withdrawn_at = timezone.now()
    if assessment.debunk_state == DebunkState.AWAITING:
        assessment.debunk_state = DebunkState.NOT_APPLICABLE
    assessment.save()
    audit_record(
        action="partner_assessment.withdrawn",
        actor_kind=ActorKind.PARTNER,
        case_id=assessment.case_id,
        inputs={"partner_id": assessment.partner_id, "token_id": token.pk if token else None},
        outcome=_summary(assessment),
    )
    if assessment.published_url:  # it no longer counts as a fact-check either
        case_fact_check_withdraw(
            case_id=assessment.case_id, fact_checker=assessment.partner.name, url=assessment.published_url
        )
    _signal(case_id=assessment.case_id, assessment_id=assessment.pk, change="withdrawn")
    return assessment


@transaction.atomic
def assessment_debunk_review(*, assessment_id: int, user, confirmed: bool) -> PartnerAssessment:
    """Record a moderator's confirmation (or dismissal) of a false/manipulated rating.

    Banking the media is the caller's next step (the dashboard, which reaches the banks); this
    records who decided and when, and refuses an assessment that awaits nobody.
    """
    assessment = PartnerAssessment.objects.select_for_update().get(pk=assessment_id)
    if assessment.debunk_state != DebunkState.AWAITING or assessment.state != AssessmentState.PUBLISHED:
        raise ValidationError("This assessment is not awaiting a moderator's confirmation.")
    assessment.debunk_state = DebunkState.CONFIRMED if confirmed else DebunkState.DISMISSED
    assessment.debunk_reviewed_by = user
    assessment.debunk_reviewed_at = timezone.now()
    assessment.save(update_fields=["debunk_state", "debunk_reviewed_by", "debunk_reviewed_at", "updated_at"])
    audit_record(
        action="partner_assessment.debunk_confirmed" if confirmed else "partner_assessment.debunk_dismissed",
        actor_kind=ActorKind.MODERATOR,
        actor_user=user,
        case_id=assessment.case_id,
        outcome=_summary(assessment),
    )
    return assessment
