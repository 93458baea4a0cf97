"""The signed webhook: platforms post events here and poll submission status.

Plain Django views rather than DRF APIViews: this is the hot path (see docs/benchmarks.md), the
signature must be checked on the raw bytes before anything parses them, and the permission
check *is* the signature. A plainly valid body takes a fast path (validation.py); anything else
goes to the DRF serializer, which answers with the field-level errors.
"""

from __future__ import annotations

import json

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from triage.selectors import case_resolve, submission_for_event, submission_status
from triage.services import submission_ingest

from .selectors import platform_for_webhook
from .serializers import Event
from .signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature_valid
from .validation import event_validate_fast


def _error(status: int, detail: str, errors: dict | None = None) -> JsonResponse:
    body: dict = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return JsonResponse(body, status=status)


def _read_body(request: HttpRequest) -> bytes | None:
    """Return the raw body, or None when it is over the cap (WEBHOOK_MAX_BODY_BYTES)."""
    from django.conf import settings

    cap = settings.WEBHOOK_MAX_BODY_BYTES
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > cap:
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
        platform = platform_for_webhook(slug=platform_slug)
        if platform is None:
            return _error(404, "Unknown platform.")
        body = _read_body(request)
        if body is None:
            return _error(413, "The body is over the size limit.")
        if not _signed(request, platform, body):
            return _error(401, "Bad or stale signature.")
        data, files, problem = _parse(request, body)
        if problem is not None:
            return problem
        if data.get("type") == "appeal":  # a forwarded complaint, not a report (docs/ingestion.md)
            from .appeals import appeal_event_handle

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


class SubmissionStatusView(View):
    """GET /webhooks/<platform-slug>/submissions/<event_id>: signed like a POST with an empty body."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest, platform_slug: str, event_id: str) -> JsonResponse:
        platform = platform_for_webhook(slug=platform_slug)
        if platform is None:
            return _error(404, "Unknown platform.")
        if not _signed(request, platform, b""):
            return _error(401, "Bad or stale signature.")
        submission = submission_for_event(platform_id=platform.pk, event_id=event_id)
        if submission is None:
            return _error(404, "No such event.")
        return JsonResponse({"event_id": event_id, **submission_status(submission=submission)})
