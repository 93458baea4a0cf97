"""The partner REST API (/api/v1/): one read-only APIView per operation, nested Input/Output serializers.

Every view derives from PartnerApi: bearer-token authentication, a scope it names (a view that
names none refuses everyone), and a per-token rate limit. Bad query parameters are 400s with the
parameter named; nothing here reads or returns reporters' data (no submissions, notes or emails).
"""

from __future__ import annotations

from datetime import UTC

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from elections.models import Country
from integrations.factcheck.claim_review import claim_review_build
from integrations.factcheck.media_review import media_review_build
from integrations.transparency.selectors import statements_export, statements_of_reasons_list
from triage.partners.models import Scope

from . import selectors
from .authentication import PartnerTokenAuthentication
from .filters import CaseFilter
from .permissions import HasPartnerScope
from .renderers import CSVRenderer
from .throttling import PartnerTokenThrottle


class Pagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 500


class PartnerApi(APIView):
    authentication_classes = [PartnerTokenAuthentication]
    permission_classes = [HasPartnerScope]
    throttle_classes = [PartnerTokenThrottle]
    renderer_classes = [JSONRenderer]
    required_scope: str | None = None


def _current(case):
    return case.current_decisions[0] if case.current_decisions else None


class DecisionSummarySerializer(serializers.Serializer):
    decision_id = serializers.UUIDField()
    phase = serializers.CharField()
    verdict = serializers.JSONField()
    actions = serializers.JSONField()
    decided_by = serializers.CharField()
    policy_version = serializers.IntegerField(source="policy_version.version", allow_null=True, default=None)
    created_at = serializers.DateTimeField()


class CaseOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    priority = serializers.IntegerField()
    audience_countries = serializers.ListField(child=serializers.CharField())
    audience_regions = serializers.ListField(child=serializers.CharField())
    media_type = serializers.CharField(source="media_item.media_type", default=None)
    media_sha256 = serializers.CharField(source="media_item.sha256", default=None)
    submission_count = serializers.IntegerField()
    total_views = serializers.IntegerField()
    total_shares = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    decision = serializers.SerializerMethodField()

    def get_decision(self, case) -> dict | None:
        decision = _current(case)
        return DecisionSummarySerializer(decision).data if decision else None


class CaseListApi(PartnerApi):
    """List live cases, newest first, with their current decision."""

    required_scope = Scope.CASES_READ

    @extend_schema(
        parameters=[OpenApiParameter(name, str) for name in CaseFilter.base_filters],
        responses=CaseOutputSerializer(many=True),
    )
    def get(self, request):
        filterset = CaseFilter(data=request.query_params, queryset=selectors.partner_cases(), request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        paginator = Pagination()
        page = paginator.paginate_queryset(filterset.qs, request, view=self)
        return paginator.get_paginated_response(CaseOutputSerializer(page, many=True).data)


def _case_or_404(case_id: int):
    case = selectors.partner_case(case_id=case_id)
    if case is None:
        raise Http404("No such case.")
    return case


class CaseDetailApi(PartnerApi):
    """One live case with its current decision."""

    required_scope = Scope.CASES_READ

    @extend_schema(responses=CaseOutputSerializer)
    def get(self, request, case_id: int):
        return Response(CaseOutputSerializer(_case_or_404(case_id)).data)


class CaseDecisionListApi(PartnerApi):
    """Every decision on a case, newest first: the current one and the ones it superseded."""

    required_scope = Scope.DECISIONS_READ

    class OutputSerializer(serializers.Serializer):
        decision_id = serializers.UUIDField()
        case_id = serializers.IntegerField()
        is_current = serializers.BooleanField()
        phase = serializers.CharField()
        phase_reason = serializers.JSONField()
        verdict = serializers.JSONField()
        actions = serializers.JSONField()
        policy_version = serializers.IntegerField(
            source="policy_version.version", allow_null=True, default=None
        )
        matched_rules = serializers.JSONField()
        decided_by = serializers.CharField()
        notes = serializers.JSONField()
        review_deadline = serializers.DateTimeField(allow_null=True)
        hold_reason = serializers.CharField()
        supersedes = serializers.UUIDField(source="supersedes.decision_id", allow_null=True, default=None)
        created_at = serializers.DateTimeField()

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request, case_id: int):
        _case_or_404(case_id)
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.case_decisions(case_id=case_id), request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


def _author() -> dict:
    author = {"name": settings.FACTCHECK_AUTHOR_NAME}
    if settings.FACTCHECK_AUTHOR_URL:
        author["url"] = settings.FACTCHECK_AUTHOR_URL
    return author


def _decided(case):
    decision = _current(case)
    if decision is None or not decision.verdict or not decision.verdict.get("label"):
        raise Http404("The case has no decision with a verdict yet.")
    return decision


class CaseMediaReviewApi(PartnerApi):
    """schema.org MediaReview (JSON-LD) for a case whose verdict a human confirmed."""

    required_scope = Scope.DECISIONS_READ

    @extend_schema(responses={200: dict})
    def get(self, request, case_id: int):
        from .reviews import review_context

        case = _case_or_404(case_id)
        decision = _decided(case)
        context = review_context(case=case, decision=decision)
        media_type = case.media_item.media_type if case.media_item_id else ""
        if context.consented_disclosure:
            raise Http404(
                "No MediaReview for this case: a consented, disclosed AI likeness "
                "is not rated as manipulated."
            )
        review = media_review_build(
            verdict=decision.verdict["label"],
            human_confirmed=context.human_confirmed,
            media_type=media_type,
            appearances=[{"contentUrl": url} for url in context.appearances],
            review_url=request.build_absolute_uri(),
            author=_author(),
            date_published=decision.created_at,
            interpreted_as_claim=f"{context.about(media_type)} is what it appears to be.",
        )
        if review is None:
            raise Http404(
                "No MediaReview for this case: only a verdict a moderator confirmed becomes one "
                f"(verdict {decision.verdict['label']}, decided by {decision.decided_by})."
            )
        return Response(review, content_type="application/ld+json")


class CaseClaimReviewApi(PartnerApi):
    """schema.org ClaimReview (JSON-LD) of the claim that the case's media is what it appears to be."""

    required_scope = Scope.DECISIONS_READ

    @extend_schema(responses={200: dict})
    def get(self, request, case_id: int):
        from .reviews import CONSENTED_DISCLOSURE_RATING, review_context

        case = _case_or_404(case_id)
        decision = _decided(case)
        context = review_context(case=case, decision=decision)
        if not context.human_confirmed:
            raise Http404(
                "No ClaimReview for this case: only a verdict a moderator confirmed becomes one "
                f"(decided by {decision.decided_by})."
            )
        media_type = case.media_item.media_type if case.media_item_id else "media"
        try:
            review = claim_review_build(
                claim_reviewed=f"{context.about(media_type)} is an authentic recording of what it shows.",
                verdict=decision.verdict["label"],
                rating_alternate_name=CONSENTED_DISCLOSURE_RATING if context.consented_disclosure else None,
                url=request.build_absolute_uri(),
                author=_author(),
                date_published=decision.created_at,
                appearances=context.appearances,
                first_appearance=context.appearances[0] if context.appearances else None,
            )
        except ValueError as exc:
            raise Http404(f"No ClaimReview for this case: {exc}") from None
        return Response(review, content_type="application/ld+json")


class CalendarStatusApi(PartnerApi):
    """Which countries are in election silence or an election period at an instant (silence_status --json)."""

    required_scope = Scope.CALENDAR_READ

    class InputSerializer(serializers.Serializer):
        country = serializers.RegexField(
            r"^[A-Za-z]{2}$",
            required=False,
            error_messages={"invalid": "Give an ISO 3166-1 alpha-2 code, e.g. SK."},
        )
        at = serializers.DateTimeField(required=False, help_text="ISO 8601 with Z or an offset; default now")

        def validate_country(self, value: str) -> str:
            code = value.upper()
            if not Country.objects.filter(code=code).exists():
                raise serializers.ValidationError(f"{code} is not a country in the calendar.")
            return code

        def validate_at(self, value):
            raw = self.initial_data.get("at", "")
            if not any(mark in raw[10:] for mark in ("Z", "z", "+", "-")):
                raise serializers.ValidationError("Add Z or a UTC offset, e.g. 2030-09-29T12:00:00Z.")
            return value

    @extend_schema(parameters=[InputSerializer], responses={200: dict})
    def get(self, request):
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        at = params.validated_data.get("at") or timezone.now()
        countries = selectors.calendar_status(country=params.validated_data.get("country"), at=at)
        return Response({"at": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "countries": countries})


class StatementListApi(PartnerApi):
    """DSA statements of reasons (Transparency Database schema), oldest first: JSON or CSV."""

    required_scope = Scope.STATEMENTS_READ
    renderer_classes = [JSONRenderer, CSVRenderer]

    class InputSerializer(serializers.Serializer):
        since = serializers.DateTimeField(required=False, help_text="decided at or after (ISO 8601)")
        until = serializers.DateTimeField(required=False, help_text="decided before (ISO 8601)")
        platform = serializers.SlugField(required=False, max_length=50, help_text="a platform's slug")

        def validate(self, data):
            if data.get("since") and data.get("until") and data["until"] <= data["since"]:
                raise serializers.ValidationError({"until": ["Must be after since."]})
            return data

    @extend_schema(parameters=[InputSerializer], responses={200: dict})
    def get(self, request):
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        statements = statements_of_reasons_list(**params.validated_data)
        paginator = Pagination()
        page = paginator.paginate_queryset(statements, request, view=self)
        if request.accepted_renderer.format == "csv":
            response = Response(statements_export(statements=page, fmt="csv"), content_type="text/csv")
            response["X-Total-Count"] = str(paginator.count)
            if paginator.get_next_link():
                response["Link"] = f'<{paginator.get_next_link()}>; rel="next"'
            return response
        return Response(
            {
                "count": paginator.count,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "statements": [s.statement for s in page],
            }
        )
