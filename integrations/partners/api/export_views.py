"""GET /api/v1/assessments/export/: the organisation's published assessments as schema.org JSON-LD.

Each published assessment (not withdrawn, with the public URL of its fact-check) becomes a
ClaimReview and, where the media's public appearances are known, a MediaReview, authored by the
partner organisation, in one `@graph`. `type` narrows it to one kind; `since` to assessments
changed since an instant. Built and checked with integrations/factcheck (this module moves with
integrations/partners/api to integrations/partners).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from integrations.factcheck import claim_review_build, claim_review_validate, media_review_validate
from integrations.factcheck.media_review import MEDIA_OBJECT_TYPES
from integrations.partners.models import AssessmentState, PartnerAssessment, Scope
from integrations.partners.selectors import cases_content

from .views import PartnerApi

EXPORT_LIMIT = 1000
KINDS = ("ClaimReview", "MediaReview")


def _author(partner) -> dict:
    author = {"@type": "Organization", "name": partner.name}
    if partner.url:
        author["url"] = partner.url
    return author


def claim_review(assessment: PartnerAssessment, appearances: list[str]) -> dict:
    return claim_review_build(
        claim_reviewed=assessment.claim_reviewed,
        url=assessment.published_url,
        author=_author(assessment.partner),
        date_published=assessment.created_at.date(),
        rating_alternate_name=assessment.rating_alternate_name,
        rating_value=assessment.rating_value,
        best_rating=assessment.best_rating,
        worst_rating=assessment.worst_rating,
        appearances=appearances,
    )


def media_review(assessment: PartnerAssessment, appearances: list[str], media_type: str) -> dict:
    review = {
        "@context": "https://schema.org",
        "@type": "MediaReview",
        "url": assessment.published_url,
        "datePublished": assessment.created_at.date().isoformat(),
        "author": _author(assessment.partner),
        "mediaAuthenticityCategory": assessment.media_authenticity_category,
        "itemReviewed": {
            "@type": "MediaReviewItem",
            "mediaItemAppearance": [
                {"@type": MEDIA_OBJECT_TYPES.get(media_type, "MediaObject"), "contentUrl": url}
                for url in appearances
            ],
        },
    }
    if assessment.original_media_context_description:
        review["originalMediaContextDescription"] = assessment.original_media_context_description
    if assessment.original_media_link:
        review["originalMediaLink"] = assessment.original_media_link
    return review


class ExportInputSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=KINDS, required=False, help_text="only one kind of review")
    since = serializers.DateTimeField(required=False, help_text="changed at or after (ISO 8601)")


class AssessmentExportApi(PartnerApi):
    """The organisation's published assessments as schema.org ClaimReview and MediaReview JSON-LD."""

    required_scope = Scope.CASES_READ
    query_parameters = frozenset({"type", "since"})

    @extend_schema(parameters=[ExportInputSerializer], responses={(200, "application/ld+json"): dict})
    def get(self, request):
        params = ExportInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        kinds = [params.validated_data["type"]] if "type" in params.validated_data else list(KINDS)
        qs = (
            PartnerAssessment.objects.filter(partner_id=self.partner.pk, state=AssessmentState.PUBLISHED)
            .exclude(published_url="")
            .select_related("partner", "media_item")
            .order_by("-updated_at", "-pk")
        )
        if "since" in params.validated_data:
            qs = qs.filter(updated_at__gte=params.validated_data["since"])
        assessments = list(qs[:EXPORT_LIMIT])
        content = cases_content(case_ids=[a.case_id for a in assessments])
        graph = []
        for assessment in assessments:
            appearances = content[assessment.case_id]["public_urls"]
            if "ClaimReview" in kinds:
                review = claim_review(assessment, appearances)
                if not claim_review_validate(review):
                    graph.append({k: v for k, v in review.items() if k != "@context"})
            if "MediaReview" in kinds and appearances:
                media_type = assessment.media_item.media_type if assessment.media_item_id else ""
                review = media_review(assessment, appearances, media_type)
                if not media_review_validate(review):
                    graph.append({k: v for k, v in review.items() if k != "@context"})
        return Response(
            {"@context": "https://schema.org", "@graph": graph}, content_type="application/ld+json"
        )
