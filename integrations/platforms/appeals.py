"""The webhook's `appeal` event: a platform forwards a creator's or a reporter's complaint.

Body (signed like every event; see docs/ingestion.md "Appeals"):

    {"type": "appeal", "event_id": "appeal-77", "content_id": "post-9",
     "appellant": "creator", "statement": "This is my own voice, recorded at the rally."}

Answered 202 with `{"appeal_id", "case_id", "duplicate"}`; a replay of the same event_id answers
the same appeal with `"duplicate": true`. The outcome comes back as an `appeal_decision` callback.
"""

from __future__ import annotations

from django.http import JsonResponse
from rest_framework import serializers

from triage.moderation.appeals import AppealRefused, appeal_receive
from triage.moderation.models import Appellant

from .serializers import Text


class AppealEvent(serializers.Serializer):
    type = serializers.ChoiceField(choices=[("appeal", "appeal")])
    event_id = Text(max_length=200)
    content_id = Text(max_length=200)
    appellant = serializers.ChoiceField(choices=Appellant.choices)
    statement = Text(required=False, allow_blank=True, max_length=5000)


def appeal_event_handle(*, platform, data: dict) -> JsonResponse:
    serializer = AppealEvent(data=data)
    if not serializer.is_valid():
        return JsonResponse({"detail": "Invalid appeal.", "errors": serializer.errors}, status=400)
    event = serializer.validated_data
    try:
        appeal, created = appeal_receive(
            platform=platform,
            event_id=event["event_id"],
            content_id=event["content_id"],
            appellant=event["appellant"],
            statement=event.get("statement", ""),
        )
    except AppealRefused as exc:
        return JsonResponse({"detail": "Invalid appeal.", "errors": exc.errors}, status=400)
    return JsonResponse(
        {"appeal_id": appeal.pk, "case_id": appeal.case_id, "duplicate": not created}, status=202
    )
