"""Moderators see dead letters and send them again; lost claims and due retries are swept."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from integrations.callbacks.models import Delivery, DeliveryState
from integrations.callbacks.selectors import deliveries_dead, deliveries_due
from integrations.callbacks.services import (
    decision_fan_out,
    deliveries_recover_claims,
    delivery_attempt,
    delivery_retry,
)
from tests.kit.callbacks import make_case, make_decision, make_submission
from triage.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(make_callback_platform):
    videoshare, _ = make_callback_platform("videoshare")
    case = make_case()
    make_submission(platform=videoshare, case=case, content_id="post-9", event_ids=["evt-1"])
    return case


@pytest.fixture
def dead_letter(case, platform_server):
    (delivery,) = decision_fan_out(decision_id=make_decision(case=case).pk)
    platform_server.script = [(410, {})]
    delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    return delivery


def test_dead_letters_are_listed_for_moderators(dead_letter, case):
    assert list(deliveries_dead()) == [dead_letter]
    assert list(deliveries_dead(platform_id=dead_letter.platform_id, case_id=case.pk)) == [dead_letter]
    assert list(deliveries_dead(case_id=case.pk + 1000)) == []


def test_a_moderator_retries_a_dead_letter_and_it_is_delivered(dead_letter, alice, platform_server):
    now = timezone.now()

    delivery_retry(delivery_id=dead_letter.pk, user=alice, now=now)
    attempt = delivery_attempt(delivery_id=dead_letter.pk, now=now)

    assert attempt.outcome == "delivered" and attempt.number == 2
    dead_letter.refresh_from_db()
    assert dead_letter.state == DeliveryState.DELIVERED
    assert dead_letter.give_up_at == now + timedelta(hours=24)  # a fresh window
    retried = AuditEvent.objects.get(action="delivery.retried")
    assert retried.actor_kind == "moderator" and retried.actor_user == alice
    assert [r.answered for r in platform_server.received] == [410, 200]
    assert len({r.headers["Idempotency-Key"] for r in platform_server.received}) == 1


def test_only_dead_letters_can_be_retried(case, alice):
    (delivery,) = decision_fan_out(decision_id=make_decision(case=case).pk)

    with pytest.raises(ValidationError) as error:
        delivery_retry(delivery_id=delivery.pk, user=alice)

    assert "Only dead letters can be retried; this one is pending." in error.value.messages


def test_a_dead_letter_of_a_superseded_decision_is_not_sent_again(dead_letter, case, alice):
    decision_fan_out(decision_id=make_decision(case=case, actions=[{"type": "no_action"}]).pk)

    with pytest.raises(ValidationError) as error:
        delivery_retry(delivery_id=dead_letter.pk, user=alice)

    assert "superseded" in error.value.messages[0]


def test_a_claim_lost_with_its_worker_is_put_back_in_line(case):
    (delivery,) = decision_fan_out(decision_id=make_decision(case=case).pk)
    claimed_at = timezone.now() - timedelta(minutes=10)
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.SENDING, claimed_at=claimed_at)
    now = timezone.now()

    assert deliveries_recover_claims(now=now) == 1
    assert deliveries_due(now=now) == [delivery.pk]


def test_a_fresh_claim_is_left_alone(case):
    (delivery,) = decision_fan_out(decision_id=make_decision(case=case).pk)
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.SENDING, claimed_at=timezone.now())

    assert deliveries_recover_claims() == 0


def test_only_due_deliveries_are_swept(case, platform_server):
    (delivery,) = decision_fan_out(decision_id=make_decision(case=case).pk)
    platform_server.script = [(502, {})]
    now = timezone.now()
    attempt = delivery_attempt(delivery_id=delivery.pk, now=now)

    assert deliveries_due(now=now) == []
    assert deliveries_due(now=attempt.retry_at) == [delivery.pk]


def test_a_retry_goes_to_the_url_the_platform_fixed(dead_letter, alice, platform_server):
    from integrations.platforms.models import Platform

    fixed = platform_server.url("/videoshare/v2/decisions")
    platform_server.secrets["/videoshare/v2/decisions"] = platform_server.secrets["/videoshare/decisions"]
    Platform.objects.filter(pk=dead_letter.platform_id).update(callback_url=fixed)

    delivery_retry(delivery_id=dead_letter.pk, user=alice)
    attempt = delivery_attempt(delivery_id=dead_letter.pk)

    assert attempt.outcome == "delivered" and attempt.url == fixed
    assert [r.path for r in platform_server.received] == ["/videoshare/decisions", "/videoshare/v2/decisions"]


def test_moderators_retry_dead_letters_from_the_admin(dead_letter, client, platform_server):
    admin = get_user_model().objects.create_superuser("bob", password="pw-bob-12345")
    client.force_login(admin)

    listing = client.get("/admin/callbacks/delivery/?state__exact=dead")
    answer = client.post(
        "/admin/callbacks/delivery/", {"action": "retry_dead_letters", "_selected_action": [dead_letter.pk]}
    )

    assert listing.status_code == 200 and "post-9" in listing.content.decode()
    assert answer.status_code == 302
    dead_letter.refresh_from_db()
    assert dead_letter.state == DeliveryState.PENDING
    assert AuditEvent.objects.get(action="delivery.retried").actor_user == admin
