"""The floor: the least a signed webhook can do in Django on this stack.

Same platform lookup and signature check as the real webhook, then one row inserted; no
validation, no idempotency, no cases, no broker. The real webhook is measured against it.
"""

import json

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from integrations.platforms.selectors import platform_for_webhook
from integrations.platforms.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature_valid

TABLE_DDL = (
    "CREATE TABLE IF NOT EXISTS bench_floor_event (id bigserial PRIMARY KEY, platform_id bigint, "
    "event_id text, body jsonb, received_at timestamptz DEFAULT now())"
)


@csrf_exempt
def floor_view(request, platform_slug):
    platform = platform_for_webhook(slug=platform_slug)
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
