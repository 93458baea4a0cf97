"""A platform's callback endpoint is down for an hour (the clock is moved): deliveries resume when
it returns, and each decision arrives exactly once. The dispatcher's ticks are run as beat runs
them (every 15 s of the moved clock, the due deliveries claimed and sent)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.callbacks.models import Delivery, DeliveryState
from integrations.callbacks.selectors import deliveries_due
from integrations.callbacks.services import decision_fan_out, delivery_attempt
from tests.kit.callbacks import make_case, make_decision, make_submission

pytestmark = pytest.mark.django_db

TICK = timedelta(seconds=15)  # callbacks-dispatch-due's beat interval


def test_deliveries_resume_after_an_hour_down_and_each_arrives_once(make_callback_platform, platform_server):
    videoshare, _ = make_callback_platform("videoshare")
    chirp, _ = make_callback_platform("chirp")
    case = make_case()
    make_submission(platform=videoshare, case=case, content_id="post-1", event_ids=["evt-1"])
    make_submission(platform=chirp, case=case, content_id="post-2", event_ids=["evt-2"])
    deliveries = decision_fan_out(decision_id=make_decision(case=case).pk)
    assert len(deliveries) == 2

    start = now = timezone.now()
    back_at = start + timedelta(hours=1)
    while now < back_at + timedelta(hours=2):
        platform_server.script = [] if now >= back_at else [(503, {})] * 10  # down, then back
        for delivery_id in deliveries_due(now=now):
            delivery_attempt(delivery_id=delivery_id, now=now)
        if not Delivery.objects.exclude(state=DeliveryState.DELIVERED).exists():
            break
        now += TICK

    delivered = Delivery.objects.filter(state=DeliveryState.DELIVERED)
    assert delivered.count() == 2
    accepted = [r for r in platform_server.received if r.answered == 200]
    assert sorted(r.headers["Idempotency-Key"] for r in accepted) == sorted(
        d.idempotency_key for d in deliveries
    )
    assert all(r.signature_ok for r in platform_server.received)
    # Retried with backoff while down (not every tick), and delivered within an hour of its return.
    refused = [r for r in platform_server.received if r.answered == 503]
    assert 2 * 5 <= len(refused) <= 2 * 9
    assert max(d.delivered_at for d in delivered) - back_at <= timedelta(hours=1)
