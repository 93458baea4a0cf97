"""A partner subscribes a signed webhook and is told of new cases in its scope and of decisions on
cases it assessed; failed deliveries are retried, then dead-lettered, like platform callbacks.

The partner is a real HTTP server on loopback that verifies each signature with its secret.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery import app
from integrations.partner_webhooks.models import PartnerDelivery
from integrations.partner_webhooks.services import (
    case_new_fan_out,
    decision_fan_out,
    delivery_attempt,
    delivery_retry,
)
from integrations.partners.models import PartnerOrganisation
from tests.kit.silence import make_reported_case
from triage.signals import media_item_stored

pytestmark = pytest.mark.django_db
HOOK = "/hooks/dana"


@pytest.fixture
def subscribed(dana, dana_partner, platform_server):
    PartnerOrganisation.objects.filter(pk=dana_partner.pk).update(webhook_allow_private=True)
    response = dana.put(
        "/api/v1/webhook/",
        {"url": platform_server.url(HOOK), "events": ["case.new", "decision"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    secret = response.json()["signing_secret"]
    platform_server.secrets[HOOK] = [secret]
    assert "signing_secret" not in dana.get("/api/v1/webhook/").json()  # shown once
    return secret


def test_a_new_case_in_scope_reaches_the_partner_signed(subscribed, platform_server):
    slovak = make_reported_case("SK")
    german = make_reported_case("DE")
    [delivery] = case_new_fan_out(case_id=slovak.pk)
    assert case_new_fan_out(case_id=slovak.pk) == []  # once per case and partner
    assert case_new_fan_out(case_id=german.pk) == []  # out of scope
    assert delivery_attempt(delivery_id=delivery.pk) == "delivered"
    [received] = platform_server.received
    assert received.signature_ok
    assert received.body == {
        "type": "case.new",
        "case_id": slovak.pk,
        "audience_countries": ["SK"],
        "media_type": "audio",
        "created_at": received.body["created_at"],
    }
    assert received.headers["Idempotency-Key"] == f"case.new:{slovak.pk}:{delivery.partner_id}"


def test_decisions_on_cases_it_assessed(subscribed, dana, held_case, platform_server):
    from triage.decisions.models import Decision

    decision = Decision.objects.get(case=held_case, is_current=True)
    assert decision_fan_out(decision_id=decision.pk) == []  # not assessed yet
    rating = {
        "media_review": {"mediaAuthenticityCategory": "TransformedContent"},
        "claim_review": {"claimReviewed": "The audio is real.", "reviewRating": {"alternateName": "False"}},
        "explanation": "Synthetic voice.",
        "language": "en",
    }
    assert dana.post(f"/api/v1/cases/{held_case.pk}/assessments/", rating, format="json").status_code == 201
    [delivery] = decision_fan_out(decision_id=decision.pk)
    assert delivery_attempt(delivery_id=delivery.pk) == "delivered"
    body = platform_server.received[0].body
    assert body["type"] == "decision" and body["decision_id"] == str(decision.decision_id)
    assert "notes" not in body and "moderator" not in body


def test_failures_are_retried_then_dead_lettered_and_retried_by_hand(subscribed, platform_server):
    case = make_reported_case("CZ")
    [delivery] = case_new_fan_out(case_id=case.pk)
    platform_server.script = [(503, {"Retry-After": "120"}), (410, {})]
    now = timezone.now()
    assert delivery_attempt(delivery_id=delivery.pk, now=now) == "retry"
    delivery.refresh_from_db()
    assert delivery.state == "pending" and delivery.next_attempt_at == now + timedelta(seconds=120)
    assert delivery_attempt(delivery_id=delivery.pk, now=now) is None  # not due yet
    assert delivery_attempt(delivery_id=delivery.pk, now=now + timedelta(seconds=121)) == "permanent"
    delivery.refresh_from_db()
    assert delivery.state == "dead" and delivery.last_status == 410
    delivery_retry(delivery_id=delivery.pk)
    assert delivery_attempt(delivery_id=delivery.pk) == "delivered"
    assert [r.answered for r in platform_server.received] == [503, 410, 200]


def test_an_unreachable_partner_gives_up_after_a_day(subscribed):
    PartnerOrganisation.objects.update(webhook_url="http://127.0.0.1:9/nothing-listens")
    case = make_reported_case("SK")
    [delivery] = case_new_fan_out(case_id=case.pk)
    later = timezone.now() + timedelta(hours=23, minutes=59, seconds=50)
    PartnerDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=later)
    assert delivery_attempt(delivery_id=delivery.pk, now=later) == "gave_up"


def test_rotating_the_secret_signs_with_both_until_the_next_rotation(
    subscribed,
    dana,
    platform_server,
):
    new_secret = dana.post("/api/v1/webhook/rotate-secret/").json()["signing_secret"]
    assert new_secret != subscribed
    platform_server.secrets[HOOK] = [new_secret]  # the partner already switched
    [delivery] = case_new_fan_out(case_id=make_reported_case("SK").pk)
    assert delivery_attempt(delivery_id=delivery.pk) == "delivered"
    assert platform_server.received[0].headers["X-Moratorium-Signature"].count("v1=") == 2


def test_bad_registrations_are_400s(dana):
    response = dana.put("/api/v1/webhook/", {"url": "ftp://x.example/", "events": ["gossip"]}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"url", "events"}


def test_a_url_every_delivery_would_refuse_is_a_400_at_registration(dana, dana_partner, platform_server):
    # Before: accepted with 200, then the first delivery was dead ("refused to connect to
    # 127.0.0.1: it resolves to a loopback address") without the partner being told.
    for url in ("http://127.0.0.1:9/hook", "http://169.254.169.254/latest/", "http://10.0.0.7/hook"):
        response = dana.put("/api/v1/webhook/", {"url": url, "events": ["case.new"]}, format="json")
        assert response.status_code == 400, url
        assert list(response.json()) == ["url"] and "public address" in response.json()["url"][0]
    assert dana.get("/api/v1/webhook/").json()["url"] == ""
    # An organisation an admin allowed private addresses (an on-premises partner) may register one.
    PartnerOrganisation.objects.filter(pk=dana_partner.pk).update(webhook_allow_private=True)
    response = dana.put(
        "/api/v1/webhook/", {"url": platform_server.url(HOOK), "events": ["case.new"]}, format="json"
    )
    assert response.status_code == 200


def test_a_stored_media_signal_sends_the_new_case(
    subscribed, platform_server, django_capture_on_commit_callbacks
):
    case = make_reported_case("SK")
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            media_item_stored.send(
                sender=None, media_item_id=case.media_item_id, case_id=case.pk, created=True
            )
    finally:
        app.conf.task_always_eager = previous
    assert [r.body["case_id"] for r in platform_server.received] == [case.pk]
