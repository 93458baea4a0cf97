"""The webhook's start-up step (config/warmup.py): what its first request would otherwise load."""

from __future__ import annotations

from django.db import connection
from django.urls import resolve, reverse

from triage.intake.ingest import warm as ingest_warm

from .selectors import platform_for_webhook
from .serializers import Event


def webhook_warm() -> None:
    """Load the webhook's routes, serializer, ORM query and statement, and open the database connection."""
    for urlconf in ("config.webhook_urls", None):
        resolve("/webhooks/warm-up/", urlconf=urlconf)  # imports the views, fills the resolver
        reverse("platforms:submission-status", args=["warm-up", "evt"], urlconf=urlconf)
    Event(data={}).is_valid()  # DRF builds (and caches) its field tree on first use
    connection.ensure_connection()  # kept for DATABASE_CONN_MAX_AGE by the first request
    platform_for_webhook(slug="warm-up")  # compiles the lookup (an unknown slug: cached as such)
    ingest_warm()
