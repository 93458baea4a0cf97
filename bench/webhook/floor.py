"""The bare floor: the least a signed webhook can do in Django, without middleware or URL routing.

A WSGI callable that builds Django's request object and calls one view: the same platform lookup
by slug as the webhook had before it cached it (an ORM query per request, so the floor is the
same code before and after any webhook change), the same HMAC check, `json.loads`, one INSERT,
a JSON answer. No validation, no idempotency, no cases, no broker. bench/webhook/wsgi.py serves
it beside the real application, so both run in the same gunicorn workers.
"""

import json

from django.core.handlers.wsgi import WSGIRequest
from django.db import connection
from django.http import JsonResponse

from integrations.platforms.models import Platform
from integrations.platforms.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature_valid

TABLE_DDL = (
    "CREATE TABLE IF NOT EXISTS bench_floor_event (id bigserial PRIMARY KEY, platform_id bigint, "
    "event_id text, body jsonb, received_at timestamptz DEFAULT now())"
)
PREFIX = "/floor/"


def floor_view(request, platform_slug):
    platform = Platform.objects.filter(slug=platform_slug, enabled=True).first()
    if platform is None:
        return JsonResponse({"detail": "Unknown platform."}, status=404)
    body = request.body
    if not signature_valid(
        secrets_=platform.signing_secrets(),
        timestamp=request.headers.get(TIMESTAMP_HEADER),
        signature=request.headers.get(SIGNATURE_HEADER),
        body=body,
    ):
        return JsonResponse({"detail": "Bad or stale signature."}, status=401)
    event = json.loads(body)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_floor_event (platform_id, event_id, body) VALUES (%s, %s, %s) RETURNING id",
            [platform.pk, event["event_id"], body.decode()],
        )
        row_id = cursor.fetchone()[0]
    return JsonResponse({"id": row_id}, status=202)


def floor_application(environ, start_response):
    """POST /floor/<slug>/ straight to the view: no handler, no middleware, no resolver."""
    request = WSGIRequest(environ)
    response = floor_view(request, environ["PATH_INFO"][len(PREFIX) :].strip("/"))
    start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
    return [response.content]
