"""The webhook's start-up step (config/warmup.py): what its first request would otherwise load."""

from __future__ import annotations

from django.db import connection
from django.urls import resolve, reverse

from triage.intake.ingest import warm as ingest_warm

from .selectors import platform_for_webhook
from .serializers import Event
from .validation import event_validate_fast

# A plainly valid event: the fast path's validators compile their (lazy) regular expressions on it.
_SAMPLE = {
    "event_id": "warm-up",
    "content": {
        "id": "warm-up",
        "url": "https://platform.example/post/1",
        "posted_at": "2026-01-01T00:00:00Z",
        "media": [{"url": "https://cdn.example/a.mp3", "media_type": "audio"}],
        "text": "",
        "language": "sk",
    },
    "report": {"source": "user_report", "reason": "synthetic_media"},
    "audience": {"countries": ["SK"]},
    "reach": {"views": 1, "shares": 1, "window_minutes": 60},
}


def webhook_warm() -> None:
    """Load the webhook's routes, serializer, ORM query path and statement text.

    The lookup below opens a database connection, which is closed again: under gunicorn's
    --preload this runs in the master, and a forked worker must not share the master's socket.
    """
    for urlconf in ("config.webhook_urls", None):
        resolve("/webhooks/warm-up/", urlconf=urlconf)  # imports the views, fills the resolver
        reverse("platforms:submission-status", args=["warm-up", "evt"], urlconf=urlconf)
    Event(data={}).is_valid()  # DRF builds (and caches) its field tree on first use
    Event(data=_SAMPLE).is_valid()
    event_validate_fast(_SAMPLE, files={})
    try:
        platform_for_webhook(slug="warm-up")  # loads the ORM's query path and the driver's adapters
        ingest_warm()
    finally:
        connection.close()
