"""Dead letters: decision callbacks that gave up, listed for moderators with a retry button."""

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.callbacks.models import Delivery, DeliveryState
from triage.audit.models import AuditEvent
from triage.decisions.models import Decision


def _dead_delivery(*, case, content_id: str) -> Delivery:
    decision = Decision.objects.get(case=case, is_current=True)
    submission = case.primary_submissions.get()
    now = timezone.now()
    return Delivery.objects.create(
        decision=decision,
        platform=submission.platform,
        submission=submission,
        content_id=content_id,
        idempotency_key=f"{decision.decision_id}:{submission.platform.slug}:{submission.pk}",
        url="https://platform.example/moratorium/callback",
        body={"type": "decision", "decision_id": str(decision.decision_id)},
        state=DeliveryState.DEAD,
        attempts=17,
        give_up_at=now - timedelta(minutes=5),
        dead_at=now - timedelta(minutes=5),
        last_status=503,
        last_error="Service Unavailable",
    )


@pytest.mark.django_db
def test_moderators_see_dead_letters(client, alice, cases):
    dead = _dead_delivery(case=cases["routine"], content_id="post-de")
    client.force_login(alice)
    html = client.get("/deliveries/dead/").content.decode()
    assert "post-de" in html and "HTTP 503 Service Unavailable" in html
    assert f'action="/deliveries/{dead.pk}/retry/"' in html


@pytest.mark.django_db
def test_a_retry_queues_the_delivery_again_and_is_audited(client, alice, cases):
    dead = _dead_delivery(case=cases["routine"], content_id="post-de")
    client.force_login(alice)
    response = client.post(f"/deliveries/{dead.pk}/retry/")
    assert response.status_code == 302 and response["Location"] == "/deliveries/dead/"
    dead.refresh_from_db()
    assert dead.state == DeliveryState.PENDING and dead.give_up_at > timezone.now() + timedelta(hours=23)
    assert AuditEvent.objects.filter(action="delivery.retried", actor_user=alice).exists()
    assert "post-de" not in client.get("/deliveries/dead/").content.decode()


@pytest.mark.django_db
def test_a_superseded_decision_is_not_retried_and_says_why(client, alice, cases):
    from .conftest import decision_make

    dead = _dead_delivery(case=cases["routine"], content_id="post-de")
    decision_make(case=cases["routine"], actions=[{"type": "no_action"}])
    client.force_login(alice)
    response = client.post(f"/deliveries/{dead.pk}/retry/", follow=True)
    assert any("superseded" in str(m) for m in response.wsgi_request._messages)
    dead.refresh_from_db()
    assert dead.state == DeliveryState.DEAD


@pytest.mark.django_db
def test_escalated_cases_dead_letters_are_for_leads(client, alice, bob, cases):
    dead = _dead_delivery(case=cases["american"], content_id="robocall-1")
    client.force_login(alice)
    assert "robocall-1" not in client.get("/deliveries/dead/").content.decode()
    assert client.post(f"/deliveries/{dead.pk}/retry/").status_code == 403
    client.force_login(bob)
    assert "robocall-1" in client.get("/deliveries/dead/").content.decode()


@pytest.mark.django_db
def test_outsiders_cannot_retry(client, charlie, cases):
    dead = _dead_delivery(case=cases["routine"], content_id="post-de")
    client.force_login(charlie)
    assert client.post(f"/deliveries/{dead.pk}/retry/").status_code == 403
    dead.refresh_from_db()
    assert dead.state == DeliveryState.DEAD


@pytest.mark.django_db
def test_a_deadline_escalated_cases_dead_letters_are_for_leads(client, alice, bob, cases):
    """A review deadline nobody met makes the case the leads': its dead letters go with it."""
    from triage.moderation.deadlines import deadlines_sweep

    routine = cases["routine"]
    dead = _dead_delivery(case=routine, content_id="post-de")
    held = Decision.objects.get(case=routine, is_current=True)
    assert routine.pk in deadlines_sweep(now=held.review_deadline + timedelta(minutes=1)).escalated

    client.force_login(alice)
    assert "post-de" not in client.get("/deliveries/dead/").content.decode()
    assert client.post(f"/deliveries/{dead.pk}/retry/").status_code == 403
    dead.refresh_from_db()
    assert dead.state == DeliveryState.DEAD
    client.force_login(bob)
    assert "post-de" in client.get("/deliveries/dead/").content.decode()
