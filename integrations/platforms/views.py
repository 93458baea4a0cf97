"""The signed webhook: platforms post events here and poll submission status.

Plain Django views rather than DRF APIViews: this is the hot path (see docs/benchmarks.md), the
signature must be checked on the raw bytes before anything parses them, and the permission
check *is* the signature. A plainly valid body takes a fast path (validation.py); anything else
goes to the DRF serializer, which answers with the field-level errors.
"""

from __future__ import annotations

import contextlib
import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import NoReverseMatch, reverse
from django.utils.decorators import method_decorator
from django.utils.encoding import escape_uri_path
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from triage.intake.ingest import submission_ingest
from triage.intake.selectors import case_resolve, submission_for_event

from .appeals import appeal_event_handle
from .contract import submission_status
from .selectors import platform_for_webhook
from .serializers import Event
from .signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, request_signature_valid, signature_valid
from .validation import event_validate_fast


def _error(status: int, detail: str, errors: dict | None = None) -> JsonResponse:
    body: dict = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return JsonResponse(body, status=status)


def _read_body(request: HttpRequest) -> bytes | None:
    """Return the raw body, or None when it is over the cap (WEBHOOK_MAX_BODY_BYTES)."""

    cap = settings.WEBHOOK_MAX_BODY_BYTES
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not (declared.isascii() and declared.isdigit()) or len(declared) > 18 or int(declared) > cap:
        return None
    try:
        body = request.body
    except RequestDataTooBig:
        return None
    return body if len(body) <= cap else None


def _signed(request: HttpRequest, platform, body: bytes) -> bool:
    return signature_valid(
        secrets_=platform.signing_secrets(),
        timestamp=request.headers.get(TIMESTAMP_HEADER),
        signature=request.headers.get(SIGNATURE_HEADER),
        body=body,
    )


# One answer for an unknown (or disabled) platform and for a bad signature, so that probing the
# webhook does not tell which platform slugs exist. The unknown platform's request is still checked
# against a throwaway secret, so the two take about the same time too.
_NOT_AUTHENTICATED = "Unknown platform, or a bad or stale signature."
_PROBE_SECRETS = ["whsec_" + "0" * 43]


def _authenticated(request: HttpRequest, platform_slug: str, body: bytes):
    """Return the platform whose secret signed this request, or None (unknown platform or bad signature)."""
    platform = platform_for_webhook(slug=platform_slug)
    if platform is None:
        signature_valid(
            secrets_=_PROBE_SECRETS,
            timestamp=request.headers.get(TIMESTAMP_HEADER),
            signature=request.headers.get(SIGNATURE_HEADER),
            body=body,
        )
        return None
    return platform if _signed(request, platform, body) else None


def _parse(request: HttpRequest, body: bytes) -> tuple[object, dict, JsonResponse | None]:
    """Return (event data, inline files, error response)."""
    if request.content_type == "multipart/form-data":
        try:
            raw = request.POST.get("event")
            files = dict(request.FILES.items())
        except (MultiPartParserError, SuspiciousOperation, ValueError):
            return None, {}, _error(400, "The multipart body cannot be read.")
        if raw is None:
            return (
                None,
                {},
                _error(400, "Invalid event.", {"event": ["A multipart body needs an 'event' part."]}),
            )
        body = raw.encode("utf-8", "surrogatepass")
    else:
        files = {}
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # bad JSON, bad UTF-8, too deeply nested, too many digits
        return None, {}, _error(400, "The body is not valid JSON.", {"body": ["Send one JSON object."]})
    if not isinstance(data, dict):
        return None, {}, _error(400, "Invalid event.", {"body": ["Send one JSON object."]})
    return data, files, None


@method_decorator(csrf_exempt, name="dispatch")
class WebhookView(View):
    """POST /webhooks/<platform-slug>/: receive one signed event; answer 202 before any media work."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, platform_slug: str) -> JsonResponse:
        body = _read_body(request)  # before the platform is looked up: a 413 says nothing about it
        if body is None:
            return _error(413, "The body is over the size limit.")
        platform = _authenticated(request, platform_slug, body)
        if platform is None:
            return _error(401, _NOT_AUTHENTICATED)
        data, files, problem = _parse(request, body)
        if problem is not None:
            return problem
        if data.get("type") == "appeal":  # a forwarded complaint, not a report (docs/ingestion.md)
            return appeal_event_handle(platform=platform, data=data)
        event = event_validate_fast(data, files=files)
        if event is None:  # not plainly valid: the serializer decides, with field-level errors
            serializer = Event(data=data, context={"files": files})
            try:
                valid = serializer.is_valid()
            except RecursionError:
                return _error(400, "Invalid event.", {"body": ["Too deeply nested."]})
            if not valid:
                return _error(400, "Invalid event.", serializer.errors)
            event = serializer.validated_data
        result = submission_ingest(platform=platform, event=event, inline_files=files)
        event_id = event["event_id"]
        case = case_resolve(case_id=result.case_id) if result.duplicate else None
        status_path = reverse("platforms:submission-status", args=[platform.slug, event_id])
        return JsonResponse(
            {
                "submission_id": result.submission_id,
                "case_id": case.pk if case else result.case_id,
                "status_url": request.build_absolute_uri(status_path),
                "duplicate": result.duplicate,
                "update": result.updated,
            },
            status=202,
        )


def _status_read_signed(request: HttpRequest, platform_slug: str, event_id: str):
    """Return the platform if this status read is signed "v2=" over its method and path (or, while
    still allowed, the old empty-body "v1=" way); None for an unknown platform or a bad signature."""

    platform = platform_for_webhook(slug=platform_slug)
    # The path as our status_url spells it, and as the request's path re-escapes: both are built
    # from the decoded event_id, so either binds the signature to this one event.
    paths = [escape_uri_path(request.path)]
    with contextlib.suppress(NoReverseMatch):  # an event_id no accepted event can have (a line break)
        paths.insert(0, reverse("platforms:submission-status", args=[platform_slug, event_id]))
    signed = request_signature_valid(
        secrets_=platform.signing_secrets() if platform is not None else _PROBE_SECRETS,
        timestamp=request.headers.get(TIMESTAMP_HEADER),
        signature=request.headers.get(SIGNATURE_HEADER),
        method="GET",
        paths=paths,
        allow_body_only=settings.WEBHOOK_STATUS_LEGACY_SIGNATURES,
    )
    return platform if signed else None


class SubmissionStatusView(View):
    """GET /webhooks/<platform-slug>/submissions/<event_id>: signed "v2=" over method and path."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest, platform_slug: str, event_id: str) -> JsonResponse:
        platform = _status_read_signed(request, platform_slug, event_id)
        if platform is None:
            return _error(401, _NOT_AUTHENTICATED)
        submission = submission_for_event(platform_id=platform.pk, event_id=event_id)
        if submission is None:
            return _error(404, "No such event.")
        return JsonResponse({"event_id": event_id, **submission_status(submission=submission)})
