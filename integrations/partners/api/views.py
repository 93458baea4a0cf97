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
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from elections.models import Country
from integrations.factcheck.claim_review import claim_review_build
from integrations.factcheck.media_review import media_review_build
from integrations.partners.models import PartnerOrganisation, PartnerToken, Scope
from integrations.partners.selectors import cases_content
from integrations.transparency.selectors import statements_export, statements_of_reasons_list
from triage.decisions.models import CasePhase, DecidedBy
from triage.evidence.models import VerdictLabel
from triage.models import CaseStatus, MediaType

from . import selectors
from .audit import partner_request_audit
from .authentication import PartnerTokenAuthentication
from .cursor import MAX_LIMIT, ORDERINGS, offset_sunset, paginate, paginate_offset
from .filters import CaseFilter, filterset_parameters
from .media_links import MediaLinker
from .permissions import HasPartnerScope
from .renderers import CSVRenderer
from .reviews import CONSENTED_DISCLOSURE_RATING, review_context
from .strict import unknown_parameters_refuse
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
    # The query parameters the view reads; any other answers 400 naming it.
    query_parameters: frozenset[str] = frozenset()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown_parameters_refuse(request, set(self.query_parameters))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(request.auth, PartnerToken):
            partner_request_audit(
                request=request,
                response=response,
                case_id=getattr(self, "audited_case_id", None) or kwargs.get("case_id"),
                extra=getattr(self, "audit_extra", None),
            )
        return response

    @property
    def partner(self):

        # A token without an organisation has an empty scope: it sees nothing.
        return self.request.auth.partner or PartnerOrganisation(name="", countries=[], languages=[])


def _current(case):
    return case.current_decisions[0] if case.current_decisions else None


class VerdictSerializer(serializers.Serializer):
    label = serializers.ChoiceField(choices=VerdictLabel.choices)
    confidence = serializers.FloatField(allow_null=True, required=False)
    reasons = serializers.ListField(child=serializers.CharField(), required=False, help_text="in plain words")


class DecisionSummarySerializer(serializers.Serializer):
    decision_id = serializers.UUIDField()
    phase = serializers.ChoiceField(choices=CasePhase.choices)
    verdict = VerdictSerializer(allow_null=True)
    actions = serializers.ListField(child=serializers.DictField())
    decided_by = serializers.ChoiceField(choices=DecidedBy.choices)
    policy_version = serializers.IntegerField(source="policy_version.version", allow_null=True, default=None)
    created_at = serializers.DateTimeField()


class CaseOutputSerializer(serializers.Serializer):
    """A case as a partner sees it. Context: `content` (cases_content) and `partner_id` for media links."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    priority = serializers.IntegerField()
    audience_countries = serializers.ListField(child=serializers.CharField())
    audience_regions = serializers.ListField(child=serializers.CharField())
    media_type = serializers.ChoiceField(
        choices=MediaType.choices, source="media_item.media_type", default=None, allow_null=True
    )
    media_sha256 = serializers.CharField(source="media_item.sha256", default=None, allow_null=True)
    submission_count = serializers.IntegerField()
    total_views = serializers.IntegerField()
    total_shares = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    decision = serializers.SerializerMethodField()
    # Issue 14: what was posted (never who reported it), the verdict in force, and the media.
    text = serializers.SerializerMethodField(help_text="the post's text (the first post that has one)")
    subjects = serializers.SerializerMethodField(help_text="who or what the posts are about")
    language = serializers.SerializerMethodField(help_text="ISO 639-1 language of the posts, or empty")
    public_urls = serializers.SerializerMethodField(help_text="where the media was posted")
    verdict = serializers.SerializerMethodField()
    media_url = serializers.SerializerMethodField(
        help_text="signed link to the media file, usable without a token until media_url_expires_at"
    )
    media_url_expires_at = serializers.SerializerMethodField()

    def _content(self, case) -> dict:
        content = self.context.get("content") or {}
        return content.get(case.pk) or {"text": "", "subjects": [], "language": "", "public_urls": []}

    @extend_schema_field(DecisionSummarySerializer(allow_null=True))
    def get_decision(self, case) -> dict | None:
        decision = _current(case)
        return DecisionSummarySerializer(decision).data if decision else None

    def get_text(self, case) -> str:
        return self._content(case)["text"]

    def get_subjects(self, case) -> list[str]:
        return self._content(case)["subjects"]

    def get_language(self, case) -> str:
        return self._content(case)["language"]

    def get_public_urls(self, case) -> list[str]:
        return self._content(case)["public_urls"]

    @extend_schema_field(VerdictSerializer(allow_null=True))
    def get_verdict(self, case) -> dict | None:
        decision = _current(case)
        return VerdictSerializer(decision.verdict).data if decision and decision.verdict else None

    def _linker(self) -> MediaLinker | None:
        request, partner_id = self.context.get("request"), self.context.get("partner_id")
        if request is None or partner_id is None:
            return None
        if "linker" not in self.context:
            self.context["linker"] = MediaLinker(request, partner_id=partner_id)
        return self.context["linker"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_media_url(self, case) -> str | None:
        linker = self._linker()
        return linker.url(case.media_item_id) if linker and case.media_item_id else None

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_media_url_expires_at(self, case) -> str | None:
        linker = self._linker()
        return _DATETIME.to_representation(linker.expires) if linker and case.media_item_id else None

    def to_representation(self, instance) -> dict:
        """The same dict as the declared fields give (tests/api/test_cases.py compares them), built
        directly: DRF's per-field walk, and a nested serializer per row for the decision and the
        verdict, cost about 5 ms a case (half the case list's time at 50 a page, bench/api)."""
        case = instance
        media = case.media_item if case.media_item_id else None
        content = self._content(case)
        decision = _current(case)
        linker = self._linker() if media is not None else None
        return {
            "id": case.pk,
            "status": case.status,
            "priority": case.priority,
            "audience_countries": [str(c) for c in case.audience_countries],
            "audience_regions": [str(r) for r in case.audience_regions],
            "media_type": media.media_type if media else None,
            "media_sha256": media.sha256 if media else None,
            "submission_count": case.submission_count,
            "total_views": case.total_views,
            "total_shares": case.total_shares,
            "created_at": _DATETIME.to_representation(case.created_at),
            "updated_at": _DATETIME.to_representation(case.updated_at),
            "decision": _decision_summary(decision) if decision else None,
            "text": content["text"],
            "subjects": content["subjects"],
            "language": content["language"],
            "public_urls": content["public_urls"],
            "verdict": _verdict(decision.verdict) if decision and decision.verdict else None,
            "media_url": linker.url(case.media_item_id) if linker else None,
            "media_url_expires_at": _DATETIME.to_representation(linker.expires) if linker else None,
        }


# One field instance renders every instant: DRF's ISO 8601 in the current time zone, "Z" for UTC.
_DATETIME = serializers.DateTimeField()


def _verdict(verdict: dict) -> dict:
    # As VerdictSerializer: `label` always, `confidence` and `reasons` when the verdict has them.
    out = {"label": verdict.get("label")}
    if "confidence" in verdict:
        confidence = verdict["confidence"]
        out["confidence"] = None if confidence is None else float(confidence)
    if "reasons" in verdict:
        out["reasons"] = [str(r) for r in verdict["reasons"]]
    return out


def _decision_summary(decision) -> dict:
    return {
        "decision_id": str(decision.decision_id),
        "phase": decision.phase,
        "verdict": _verdict(decision.verdict) if decision.verdict is not None else None,
        "actions": [{str(k): v for k, v in action.items()} for action in decision.actions],
        "decided_by": decision.decided_by,
        "policy_version": decision.policy_version.version if decision.policy_version_id else None,
        "created_at": _DATETIME.to_representation(decision.created_at),
    }


class CasePageSerializer(serializers.Serializer):
    """The envelope of the case list: cursor-paginated, or with `count` in the deprecated offset form."""

    count = serializers.IntegerField(
        required=False,
        help_text="cases matching the filters: only with `offset` (the deprecated form)",
    )
    next = serializers.URLField(allow_null=True, help_text="the next page, or null on the last")
    previous = serializers.URLField(allow_null=True, help_text="the previous page, or null on the first")
    results = CaseOutputSerializer(many=True)


def case_output_context(request, cases) -> dict:
    partner_id = request.auth.partner_id if isinstance(request.auth, PartnerToken) else None
    content = cases_content(case_ids=[c.pk for c in cases])
    return {"request": request, "partner_id": partner_id, "content": content}


class CaseListApi(PartnerApi):
    """List live cases, newest first, with their current decision."""

    required_scope = Scope.CASES_READ

    query_parameters = frozenset({*CaseFilter.base_filters, "cursor", "limit", "offset", "ordering"})

    @extend_schema(
        operation_id="cases_list",
        parameters=[
            *filterset_parameters(CaseFilter),
            OpenApiParameter(
                "ordering",
                str,
                enum=list(ORDERINGS),
                description="newest (default): newest first; urgency: highest priority first, then newest",
            ),
            OpenApiParameter("cursor", str, description="the cursor of a next or previous link"),
            OpenApiParameter("limit", int, description=f"page size, default 50, at most {MAX_LIMIT}"),
            OpenApiParameter(
                "offset",
                int,
                deprecated=True,
                description=(
                    "the form before cursors, served until "
                    f"{offset_sunset():%Y-%m-%d}: the answer adds `count`, its links are offsets, and "
                    "Deprecation, Sunset and Link (rel=successor-version: the same page as a cursor) "
                    "headers; not with `cursor`"
                ),
            ),
        ],
        responses=CasePageSerializer,
    )
    def get(self, request):
        ordering = request.query_params.get("ordering", "newest")
        if ordering not in ORDERINGS:
            raise ValidationError({"ordering": [f"Choose one of: {', '.join(ORDERINGS)}."]})
        cases = selectors.partner_cases(partner=self.partner)
        filterset = CaseFilter(data=request.query_params, queryset=cases, request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        if "offset" in request.query_params:
            if "cursor" in request.query_params:
                raise ValidationError({"offset": ["Send either cursor or offset (deprecated), not both."]})
            # The same filters over the scope in its whole-set form: the count reads every match.
            whole = selectors.partner_cases(partner=self.partner, whole_set=True)
            counted = CaseFilter(data=request.query_params, queryset=whole, request=request).qs
            page = paginate_offset(filterset.qs, request, ordering=ordering, count_queryset=counted)
        else:
            page = paginate(filterset.qs, request, ordering=ordering)
        context = case_output_context(request, page.results)
        data = CaseOutputSerializer(page.results, many=True, context=context)
        self.audit_extra = {"case_ids": [c.pk for c in page.results]}
        return Response(page.as_body(data.data), headers=page.headers)


def _case_or_404(case_id: int, partner=None):
    """The live case if the partner sees it; 404 alike for a missing, merged or out-of-scope id."""
    case = selectors.partner_case(case_id=case_id, partner=partner)
    if case is None:
        raise Http404("No such case.")
    return case


class CaseDetailApi(PartnerApi):
    """One live case with its current decision."""

    required_scope = Scope.CASES_READ

    @extend_schema(operation_id="cases_retrieve", responses=CaseOutputSerializer)
    def get(self, request, case_id: int):
        case = _case_or_404(case_id, self.partner)
        return Response(CaseOutputSerializer(case, context=case_output_context(request, [case])).data)


class CaseDecisionListApi(PartnerApi):
    """Every decision on a case, newest first: the current one and the ones it superseded."""

    required_scope = Scope.DECISIONS_READ

    @extend_schema_serializer(component_name="Decision")
    class OutputSerializer(serializers.Serializer):
        decision_id = serializers.UUIDField()
        case_id = serializers.IntegerField()
        is_current = serializers.BooleanField()
        phase = serializers.ChoiceField(choices=CasePhase.choices)
        phase_reason = serializers.DictField()
        verdict = VerdictSerializer(allow_null=True)
        actions = serializers.ListField(child=serializers.DictField())
        policy_version = serializers.IntegerField(
            source="policy_version.version", allow_null=True, default=None
        )
        matched_rules = serializers.ListField(child=serializers.CharField())
        decided_by = serializers.ChoiceField(choices=DecidedBy.choices)
        # No `notes`: they are the moderators' and the policy's internal notes (issue 14).
        review_deadline = serializers.DateTimeField(allow_null=True)
        hold_reason = serializers.CharField()
        supersedes = serializers.UUIDField(source="supersedes.decision_id", allow_null=True, default=None)
        created_at = serializers.DateTimeField()

    query_parameters = frozenset({"limit", "offset"})
    pagination_class = Pagination

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request, case_id: int):
        _case_or_404(case_id, self.partner)
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

    @extend_schema(responses={(200, "application/ld+json"): dict})
    def get(self, request, case_id: int):
        case = _case_or_404(case_id, self.partner)
        decision = _decided(case)
        context = review_context(case=case, decision=decision)
        media_type = case.media_item.media_type if case.media_item_id else ""
        if context.consented_disclosure:
            raise Http404(
                "No MediaReview for this case: a consented, disclosed AI likeness "
                "is not rated as manipulated."
            )
        try:
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
        except ValueError as exc:  # a verdict with no MediaReview category
            raise Http404(f"No MediaReview for this case: {exc}") from None
        if review is None and decision.decided_by == "moderator":
            raise Http404(
                f"No MediaReview for this case: its verdict {decision.verdict['label']} "
                "says nothing about whether the media is authentic."
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

    @extend_schema(responses={(200, "application/ld+json"): dict})
    def get(self, request, case_id: int):
        case = _case_or_404(case_id, self.partner)
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
    query_parameters = frozenset({"country", "at"})

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
    query_parameters = frozenset({"since", "until", "platform", "limit", "offset", "format"})
    renderer_classes = [JSONRenderer, CSVRenderer]

    class InputSerializer(serializers.Serializer):
        since = serializers.DateTimeField(required=False, help_text="decided at or after (ISO 8601)")
        until = serializers.DateTimeField(required=False, help_text="decided before (ISO 8601)")
        platform = serializers.SlugField(required=False, max_length=50, help_text="a platform's slug")

        def validate(self, data):
            if data.get("since") and data.get("until") and data["until"] <= data["since"]:
                raise serializers.ValidationError({"until": ["Must be after since."]})
            return data

    @extend_schema(
        parameters=[
            InputSerializer,
            OpenApiParameter("limit", int, description="page size, default 50, at most 500"),
            OpenApiParameter("offset", int),
            OpenApiParameter("format", str, enum=["json", "csv"], description="csv: the dump's columns"),
        ],
        responses={
            200: inline_serializer(
                "StatementPage",
                {
                    "count": serializers.IntegerField(),
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "statements": serializers.ListField(child=serializers.DictField()),
                },
            ),
            (200, "text/csv"): str,
        },
    )
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
