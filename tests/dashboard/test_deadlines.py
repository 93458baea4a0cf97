"""Deadlines that bite: a review deadline passes and nobody decides.

The clock is moved (the sweep takes `now`), nobody touches the Slovak silence hold, and the sweep
escalates it to the leads: top of bob's queue, gone from alice's, the hold kept, the audit saying
so, an e-mail through Django's mail backend and a chat notice delivered to a loopback incoming
webhook. Bob then extends the deadline with a reason.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from triage.audit.models import AuditEvent
from triage.decisions.models import Decision
from triage.moderation.deadlines import PRIORITY_DEADLINE_MISSED, deadline_extend, deadlines_sweep
from triage.moderation.models import DeadlineEscalation
from triage.moderation.services import NotAllowedError

from .conftest import login
from .loopback import LoopbackServer


@pytest.fixture
def chat_channel(settings, monkeypatch):
    """An incoming-webhook chat channel on loopback, configured as the environment would."""
    from integrations.chat.tasks import chat_notify_task

    server = LoopbackServer().start()
    settings.MODERATION_CHAT_WEBHOOK_URL = server.url("/hooks/moderation")
    settings.MODERATION_CHAT_WEBHOOK_ALLOW_PRIVATE = True
    settings.MODERATION_NOTIFY_EMAILS = ["leads@newsroom.example"]
    # The notice task runs here exactly as a worker runs it (Celery's apply), without the broker.
    monkeypatch.setattr(chat_notify_task, "delay", lambda *args: chat_notify_task.apply(args=args))
    yield server
    server.close()


def test_a_missed_deadline_escalates_to_the_leads_and_notifies(
    client, alice, bob, cases, chat_channel, django_capture_on_commit_callbacks
):
    slovak = cases["slovak"]
    held = Decision.objects.get(case=slovak, is_current=True)
    assert deadlines_sweep(now=timezone.now()).escalated == []  # not due yet

    later = held.review_deadline + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        result = deadlines_sweep(now=later)

    assert slovak.pk in result.escalated
    escalation = DeadlineEscalation.objects.get(decision=held)
    slovak.refresh_from_db()
    assert slovak.priority == PRIORITY_DEADLINE_MISSED
    current = Decision.objects.get(case=slovak, is_current=True)
    assert current.pk == held.pk and "removal_hold" in current.action_types()  # the hold stays
    audit = AuditEvent.objects.get(case=slovak, action="case.review_deadline_missed")
    assert audit.outcome["hold_kept"] is True and audit.outcome["escalated_to"] == "leads"

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["leads@newsroom.example"]
    assert f"Case #{slovak.pk}" in mail.outbox[0].body
    notices = [r for r in chat_channel.received if r.path == "/hooks/moderation"]
    assert len(notices) == 1 and f"Case #{slovak.pk} (SK)" in notices[0].body["text"]
    assert AuditEvent.objects.filter(case=slovak, action="notification.sent").exists()
    assert DeadlineEscalation.objects.get(pk=escalation.pk).notified == {"email": True}

    # Idempotent: the next tick escalates nothing again and sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_sweep(now=later + timedelta(minutes=1)).escalated == []
    assert len(chat_channel.received) == 1 and len(mail.outbox) == 1

    # Bob (a lead) sees it on top of his queue, marked; alice no longer sees it at all.
    login(client, bob)
    page = client.get("/").content.decode()
    assert page.index(f'data-case="{slovak.pk}"') < page.index(f'data-case="{cases["later_hold"].pk}"')
    assert "deadline missed" in page
    login(client, alice)
    assert f'data-case="{slovak.pk}"' not in client.get("/").content.decode()
    assert client.get(f"/cases/{slovak.pk}/").status_code == 403


def test_a_lead_extends_the_deadline_with_a_reason(bob, alice, cases, django_capture_on_commit_callbacks):
    slovak = cases["slovak"]
    held = Decision.objects.get(case=slovak, is_current=True)
    deadlines_sweep(now=held.review_deadline + timedelta(minutes=1))

    with pytest.raises(NotAllowedError):
        deadline_extend(case_id=slovak.pk, user=alice, minutes=60, reason="busy")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        deadline_extend(case_id=slovak.pk, user=bob, minutes=60, reason=" ")
    assert "reason" in refused.value.message_dict

    extended = deadline_extend(
        case_id=slovak.pk, user=bob, minutes=90, reason="waiting for the party's answer"
    )
    assert extended.supersedes_id == held.pk and extended.decided_by == "policy"
    assert extended.review_deadline > timezone.now() + timedelta(minutes=89)
    hold = next(a for a in extended.actions if a["type"] == "removal_hold")
    assert hold["review_deadline"] == extended.review_deadline.isoformat()
    event = AuditEvent.objects.get(case=slovak, action="case.review_deadline_extended")
    assert event.actor_user == bob and event.inputs["reason"] == "waiting for the party's answer"
    slovak.refresh_from_db()
    assert slovak.priority < PRIORITY_DEADLINE_MISSED  # back in its tier, no longer overdue
    # The new deadline is not missed yet: the sweep leaves it alone.
    assert deadlines_sweep(now=timezone.now()).escalated == []


def test_no_channel_configured_sends_nothing(cases, settings, django_capture_on_commit_callbacks):
    settings.MODERATION_CHAT_WEBHOOK_URL = ""
    settings.MODERATION_NOTIFY_EMAILS = []
    held = Decision.objects.get(case=cases["slovak"], is_current=True)
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_sweep(now=held.review_deadline + timedelta(minutes=1))
    assert DeadlineEscalation.objects.filter(decision=held).exists()
    assert mail.outbox == []


def test_the_sweep_is_a_pinned_periodic_task():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["moderation-deadlines-sweep"]
    assert entry["task"] == "moratorium.moderation.deadlines_sweep"
    from config.celery import app

    app.loader.import_default_modules()
    assert "moratorium.moderation.deadlines_sweep" in app.tasks
