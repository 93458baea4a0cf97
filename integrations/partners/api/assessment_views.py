"""Partner assessments through the API: create, read, update and withdraw the organisation's own.

POST /api/v1/cases/<id>/assessments/ (assessments:write) records one; the organisation's
assessments are then at /api/v1/assessments/<id>/ (GET cases:read; PUT/PATCH assessments:write;
DELETE withdraws). Another organisation's assessment answers 404, as an id that does not exist.
Field names inside `media_review` and `claim_review` are schema.org's.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from integrations.partners.assessments import (
    AssessmentConflictError,
    assessment_create,
    assessment_update,
    assessment_withdraw,
)
from integrations.partners.models import AssessmentState, DebunkState, MediaAuthenticityCategory, Scope
from integrations.partners.selectors import partner_assessment, partner_assessments

from .views import Pagination, PartnerApi, _case_or_404


class HttpUrlField(serializers.URLField):
    """An absolute http(s) URL (no javascript:, ftp: or relative links)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2000)
        super().__init__(**kwargs)
        self.validators.append(self._http)

    @staticmethod
    def _http(value: str) -> None:
        if not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError("Give an http(s) URL.")


class MediaReviewSerializer(serializers.Serializer):
    mediaAuthenticityCategory = serializers.ChoiceField(  # noqa: N815 - schema.org's name
        source="media_authenticity_category",
        choices=MediaAuthenticityCategory.choices,
        help_text="schema.org MediaManipulationRatingEnumeration",
    )
    originalMediaContextDescription = serializers.CharField(  # noqa: N815
        source="original_media_context_description",
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="required for DecontextualizedContent",
    )
    originalMediaLink = HttpUrlField(source="original_media_link", required=False, allow_blank=True)  # noqa: N815


class RatingSerializer(serializers.Serializer):
    alternateName = serializers.CharField(  # noqa: N815
        source="rating_alternate_name", max_length=100, help_text="the verdict in words, e.g. 'False'"
    )
    ratingValue = serializers.IntegerField(source="rating_value", required=False, allow_null=True)  # noqa: N815
    bestRating = serializers.IntegerField(source="best_rating", required=False, allow_null=True)  # noqa: N815
    worstRating = serializers.IntegerField(source="worst_rating", required=False, allow_null=True)  # noqa: N815


class ClaimReviewSerializer(serializers.Serializer):
    claimReviewed = serializers.CharField(  # noqa: N815
        source="claim_reviewed", max_length=500, help_text="the claim, without the verdict"
    )
    reviewRating = RatingSerializer(source="*")  # noqa: N815


class AssessmentInputSerializer(serializers.Serializer):
    media_review = MediaReviewSerializer(source="*")
    claim_review = ClaimReviewSerializer(source="*")
    explanation = serializers.CharField(max_length=20000, help_text="in the language given")
    language = serializers.RegexField(
        r"^[A-Za-z]{2,3}$",
        error_messages={"invalid": "Give an ISO 639-1 code, e.g. sk."},
        help_text="ISO 639-1 language of the explanation",
    )
    evidence_urls = serializers.ListField(child=HttpUrlField(), max_length=50, required=False, default=list)
    published_url = HttpUrlField(
        required=False, allow_blank=True, help_text="the public URL of the published fact-check"
    )

    def validate_language(self, value: str) -> str:
        return value.lower()


class AssessmentOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    case_id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=AssessmentState.choices)
    media_review = MediaReviewSerializer(source="*")
    claim_review = ClaimReviewSerializer(source="*")
    explanation = serializers.CharField()
    language = serializers.CharField()
    evidence_urls = serializers.ListField(child=serializers.URLField())
    published_url = serializers.CharField(help_text="empty until the fact-check is published")
    debunk_state = serializers.ChoiceField(
        choices=DebunkState.choices, help_text="a moderator's review of a false/manipulated rating"
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)


def _errors(exc: DjangoValidationError):
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})


class CaseAssessmentsApi(PartnerApi):
    """The organisation's assessments of a case (GET), or a new one (POST)."""

    method_scopes = {"GET": Scope.CASES_READ, "POST": Scope.ASSESSMENTS_WRITE}

    @extend_schema(responses=AssessmentOutputSerializer(many=True))
    def get(self, request, case_id: int):
        _case_or_404(case_id, self.partner)
        mine = partner_assessments(partner=self.partner).filter(case_id=case_id).order_by("-created_at")
        return Response(AssessmentOutputSerializer(mine, many=True).data)

    @extend_schema(
        request=AssessmentInputSerializer,
        responses={201: AssessmentOutputSerializer, 409: dict},
    )
    def post(self, request, case_id: int):
        _case_or_404(case_id, self.partner)
        data = AssessmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            assessment = assessment_create(
                partner=self.partner, token=request.auth, case_id=case_id, data=data.validated_data
            )
        except AssessmentConflictError as exc:
            return Response(exc.message_dict, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as exc:
            raise _errors(exc) from None
        return Response(AssessmentOutputSerializer(assessment).data, status=status.HTTP_201_CREATED)


class AssessmentListApi(PartnerApi):
    """Every assessment of the organisation, newest change first."""

    required_scope = Scope.CASES_READ
    query_parameters = frozenset({"state", "limit", "offset"})
    pagination_class = Pagination

    @extend_schema(
        parameters=[OpenApiParameter("state", str, enum=AssessmentState.values)],
        responses=AssessmentOutputSerializer(many=True),
    )
    def get(self, request):
        qs = partner_assessments(partner=self.partner).order_by("-updated_at", "-pk")
        state = request.query_params.get("state")
        if state is not None:
            if state not in AssessmentState.values:
                raise ValidationError({"state": [f"Choose one of: {', '.join(AssessmentState.values)}."]})
            qs = qs.filter(state=state)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(AssessmentOutputSerializer(page, many=True).data)


class AssessmentDetailApi(PartnerApi):
    """One of the organisation's assessments: read, change (PUT/PATCH) or withdraw (DELETE)."""

    method_scopes = {
        "GET": Scope.CASES_READ,
        "PUT": Scope.ASSESSMENTS_WRITE,
        "PATCH": Scope.ASSESSMENTS_WRITE,
        "DELETE": Scope.ASSESSMENTS_WRITE,
    }

    def _own(self, assessment_id):
        assessment = partner_assessment(partner=self.partner, public_id=assessment_id)
        if assessment is None:
            raise Http404("No such assessment.")
        self.audited_case_id = assessment.case_id
        return assessment

    @extend_schema(responses=AssessmentOutputSerializer)
    def get(self, request, assessment_id):
        return Response(AssessmentOutputSerializer(self._own(assessment_id)).data)

    def _change(self, request, assessment_id, *, partial: bool):
        assessment = self._own(assessment_id)
        data = AssessmentInputSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        try:
            assessment = assessment_update(
                assessment=assessment, token=request.auth, data=data.validated_data
            )
        except DjangoValidationError as exc:
            raise _errors(exc) from None
        return Response(AssessmentOutputSerializer(assessment).data)

    @extend_schema(request=AssessmentInputSerializer, responses=AssessmentOutputSerializer)
    def put(self, request, assessment_id):
        return self._change(request, assessment_id, partial=False)

    @extend_schema(request=AssessmentInputSerializer, responses=AssessmentOutputSerializer)
    def patch(self, request, assessment_id):
        return self._change(request, assessment_id, partial=True)

    @extend_schema(responses={200: AssessmentOutputSerializer})
    def delete(self, request, assessment_id):
        assessment = assessment_withdraw(assessment=self._own(assessment_id), token=request.auth)
        return Response(AssessmentOutputSerializer(assessment).data)
