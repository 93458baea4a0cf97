"""Sending a delivery to a loopback platform that fails and recovers, with the clock moved by hand."""

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.callbacks.models import Delivery, DeliveryState
from integrations.callbacks.services import decision_fan_out, delivery_attempt, retry_delay
from integrations.platforms.models import Platform
from tests.kit.callbacks import make_case, make_decision, make_submission
from triage.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery(make_callback_platform):
    videoshare, _ = make_callback_platform("videoshare")
    case = make_case()
    make_submission(platform=videoshare, case=case, content_id="post-9", event_ids=["evt-1"])
    (delivery,) = decision_fan_out(decision_id=make_decision(case=case).pk)
    return delivery


def _send(delivery, now):
    return delivery_attempt(delivery_id=delivery.pk, now=now)


def test_a_2xx_delivers_signed_with_the_idempotency_key_and_records_a_receipt(delivery, platform_server):
    attempt = _send(delivery, timezone.now())

    (request,) = platform_server.received
    assert request.signature_ok
    assert request.headers["Idempotency-Key"] == delivery.idempotency_key
    assert request.body == delivery.body
    assert attempt.outcome == "delivered" and attempt.status_code == 200
    assert attempt.response_ms is not None and attempt.response_excerpt == '{"received": true}'
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and delivery.delivered_at is not None
    assert AuditEvent.objects.filter(action="delivery.delivered", case=delivery.decision.case).exists()


def test_a_5xx_is_retried_after_backoff_with_the_same_key_and_body(delivery, platform_server):
    platform_server.script = [(500, {}), (503, {})]
    start = timezone.now()

    first = _send(delivery, start)

    assert first.outcome == "retry"
    assert timedelta(seconds=24) <= first.retry_at - start <= timedelta(seconds=36)  # 30 s ± 20 %
    assert _send(delivery, start + timedelta(seconds=20)) is None  # not due yet: nobody sends it
    second = _send(delivery, first.retry_at)
    assert second.outcome == "retry"
    assert timedelta(seconds=48) <= second.retry_at - first.retry_at <= timedelta(seconds=72)  # 1 min
    third = _send(delivery, second.retry_at)

    assert third.outcome == "delivered"
    assert [r.answered for r in platform_server.received] == [500, 503, 200]
    assert len({r.headers["Idempotency-Key"] for r in platform_server.received}) == 1
    assert all(r.body == delivery.body and r.signature_ok for r in platform_server.received)
    assert list(delivery.attempts_log.values_list("number", "status_code", "outcome")) == [
        (1, 500, "retry"),
        (2, 503, "retry"),
        (3, 200, "delivered"),
    ]


def test_a_429_waits_as_long_as_retry_after_asks(delivery, platform_server):
    platform_server.script = [(429, {"Retry-After": "120"})]
    start = timezone.now()

    attempt = _send(delivery, start)

    assert attempt.outcome == "retry" and attempt.status_code == 429
    assert attempt.retry_at == start + timedelta(seconds=120)


def test_a_timeout_is_retried(delivery, platform_server, settings):
    settings.CALLBACK_READ_TIMEOUT = 0.3
    platform_server.script = ["hang"]

    attempt = _send(delivery, timezone.now())

    assert attempt.outcome == "retry" and attempt.status_code is None
    assert "did not answer in time" in attempt.error


def test_a_refused_connection_is_retried(delivery, platform_server):
    Platform.objects.filter(pk=delivery.platform_id).update(callback_url="http://127.0.0.1:9/closed")

    attempt = _send(delivery, timezone.now())

    assert attempt.outcome == "retry"


@pytest.mark.parametrize("status", [400, 404, 410, 422])
def test_a_4xx_is_a_dead_letter_at_once(delivery, platform_server, status):
    platform_server.script = [(status, {})]

    attempt = _send(delivery, timezone.now())

    assert attempt.outcome == "permanent"
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DEAD and delivery.last_status == status
    dead = AuditEvent.objects.get(action="delivery.dead")
    assert dead.outcome["status"] == status and dead.outcome["platform"] == "videoshare"


def test_a_platform_down_for_a_day_gets_a_dead_letter_after_24_hours(delivery, platform_server):
    platform_server.script = [(503, {})] * 100
    start = now = timezone.now()
    attempts = []
    while (attempt := _send(delivery, now)) is not None:
        attempts.append(attempt)
        if attempt.retry_at is None:
            break
        now = attempt.retry_at

    assert attempts[-1].outcome == "gave_up"
    assert all(a.outcome == "retry" for a in attempts[:-1])
    gaps = [b.started_at - a.started_at for a, b in zip(attempts, attempts[1:], strict=False)]
    assert max(gaps) <= timedelta(hours=1)  # capped between tries
    assert timedelta(hours=23) <= attempts[-1].started_at - start <= timedelta(hours=24)
    assert len(platform_server.received) == len(attempts)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DEAD


def test_retry_delays_double_from_30_seconds_up_to_an_hour():
    import random

    rng = random.Random(7)
    delays = [retry_delay(attempt=n, rng=rng).total_seconds() for n in range(1, 12)]

    for n, delay in enumerate(delays, start=1):
        base = min(30 * 2 ** (n - 1), 3600)
        assert 0.8 * base <= delay <= min(1.2 * base, 3600)


def test_only_one_worker_claims_a_due_try(delivery):
    from integrations.callbacks.services import _claim

    now = timezone.now()

    assert _claim(delivery_id=delivery.pk, now=now) is True
    assert _claim(delivery_id=delivery.pk, now=now) is False  # the second worker does nothing
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENDING and delivery.attempts == 1


def test_a_delivered_callback_is_not_sent_again(delivery, platform_server):
    now = timezone.now()

    assert _send(delivery, now) is not None
    assert _send(delivery, now) is None
    assert len(platform_server.received) == 1


def test_during_a_secret_rotation_both_secrets_sign(make_callback_platform, platform_server):
    from integrations.platforms.services import platform_rotate_secret

    chatapp, old_secret = make_callback_platform("chatapp")
    new_secret = platform_rotate_secret(platform=chatapp)
    case = make_case()
    make_submission(platform=chatapp, case=case, content_id="msg-1", event_ids=["c-1"])
    (delivery,) = decision_fan_out(decision_id=make_decision(case=case).pk)

    platform_server.secrets["/chatapp/decisions"] = [new_secret]
    _send(delivery, timezone.now())
    platform_server.secrets["/chatapp/decisions"] = [old_secret]  # a platform not yet updated
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.PENDING, next_attempt_at=timezone.now()
    )
    _send(delivery, timezone.now())

    assert [r.signature_ok for r in platform_server.received] == [True, True]


def test_a_platform_that_dropped_its_callback_url_gets_a_dead_letter(delivery, platform_server):
    Platform.objects.filter(pk=delivery.platform_id).update(callback_url="")

    attempt = _send(delivery, timezone.now())

    assert attempt.outcome == "permanent" and "no longer has a callback URL" in attempt.error
    assert platform_server.received == []
