"""The callbacks' panel of the dashboard overview: undelivered decisions and dead letters.

Registered into triage's overview registry from CallbacksConfig.ready() (triage never imports
integrations). Two aggregate queries on the (state, next_attempt_at) index.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Min, Q

from .models import Delivery, DeliveryState


def callbacks_overview(at: datetime) -> dict[str, Any]:
    undelivered = Delivery.objects.filter(state__in=[DeliveryState.PENDING, DeliveryState.SENDING]).aggregate(
        undelivered=Count("id"),
        retrying=Count("id", filter=Q(attempts__gt=0)),
        oldest=Min("created_at"),
    )
    dead = Delivery.objects.filter(state=DeliveryState.DEAD).aggregate(
        dead=Count("id"), dead_24h=Count("id", filter=Q(dead_at__gte=at - timedelta(hours=24)))
    )
    return {
        "undelivered": undelivered["undelivered"],
        "retrying": undelivered["retrying"],
        "oldest_undelivered": undelivered["oldest"],
        "dead": dead["dead"],
        "dead_24h": dead["dead_24h"],
    }
