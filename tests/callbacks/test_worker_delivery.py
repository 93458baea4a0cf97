"""End to end on a real broker and worker: a decision is made, the loopback platform receives it."""

import pytest
from django.db import transaction

from integrations.callbacks.models import Delivery, DeliveryState
from tests.kit.callbacks import make_case, make_decision, make_submission
from tests.kit.worker import poll
from triage.decisions.models import Decision
from triage.signals import decision_made


@pytest.mark.django_db(transaction=True)
def test_a_decision_reaches_every_platform_through_the_worker(
    celery_worker_process, make_callback_platform, platform_server
):
    videoshare, _ = make_callback_platform("videoshare")
    chatapp, _ = make_callback_platform("chatapp")
    case = make_case()
    make_submission(platform=videoshare, case=case, content_id="post-9", event_ids=["evt-1"])
    make_submission(platform=chatapp, case=case, content_id="msg-77", event_ids=["c-1", "c-2"])

    with transaction.atomic():  # as the policy does: the signal goes out once the decision commits
        decision = make_decision(case=case)
        transaction.on_commit(lambda: decision_made.send(sender=Decision, decision_id=decision.pk))

    poll(lambda: len(platform_server.received) == 2, timeout=30, message="both platforms to be called")
    poll(
        lambda: set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.DELIVERED},
        timeout=30,
        message="deliveries to be marked delivered",
    )
    received = {r.path: r for r in platform_server.received}
    assert received["/chatapp/decisions"].body["event_ids"] == ["c-1", "c-2"]
    assert received["/videoshare/decisions"].body["content_id"] == "post-9"
    assert all(
        r.signature_ok and r.body["decision_id"] == str(decision.decision_id) for r in received.values()
    )


@pytest.mark.django_db(transaction=True)
def test_the_periodic_sweep_sends_a_due_retry(celery_worker_process, make_callback_platform, platform_server):
    from django.utils import timezone

    from integrations.callbacks.tasks import dispatch_due

    videoshare, _ = make_callback_platform("videoshare")
    case = make_case()
    make_submission(platform=videoshare, case=case, content_id="post-9", event_ids=["evt-1"])
    platform_server.script = [(503, {})]
    with transaction.atomic():
        decision = make_decision(case=case)
        transaction.on_commit(lambda: decision_made.send(sender=Decision, decision_id=decision.pk))
    delivery = poll(
        lambda: Delivery.objects.filter(attempts=1, state=DeliveryState.PENDING).first(),
        message="the first try to fail and be scheduled again",
    )
    assert delivery.next_attempt_at > timezone.now()  # parked in the database, not in the broker
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())  # the clock moves on

    assert dispatch_due() == 1  # what celery beat runs every 15 s

    poll(
        lambda: Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.DELIVERED).exists(),
        message="the retry to be delivered",
    )
    assert [r.answered for r in platform_server.received] == [503, 200]
