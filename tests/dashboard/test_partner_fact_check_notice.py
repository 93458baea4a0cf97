"""Issue 14: moderators are told when a partner's fact-check arrives, changes or is withdrawn, on
the moderation chat channel (as a missed review deadline is), with ids only."""

import pytest

from integrations.chat.tasks import chat_notify_task
from triage.audit.models import AuditEvent

from .loopback import LoopbackServer

pytestmark = pytest.mark.django_db
RATING = {
    "media_review": {"mediaAuthenticityCategory": "TransformedContent"},
    "claim_review": {
        "claimReviewed": "A recording shows a candidate admitting the vote is rigged.",
        "reviewRating": {"alternateName": "Nepravda", "ratingValue": 1, "bestRating": 5, "worstRating": 1},
    },
    "explanation": "Hlas je syntetický.",
    "language": "sk",
    "published_url": "https://demagog.example/fakt/123",
}


@pytest.fixture(autouse=True)
def _empty_calendar(empty_calendar):
    """Only the windows held_case creates are in the calendar (tests/kit/silence.py)."""


@pytest.fixture
def chat_channel(settings, monkeypatch):
    server = LoopbackServer().start()
    settings.MODERATION_CHAT_WEBHOOK_URL = server.url("/hooks/moderation")
    settings.MODERATION_CHAT_WEBHOOK_ALLOW_PRIVATE = True
    # The notice task runs here exactly as a worker runs it (Celery's apply), without the broker.
    monkeypatch.setattr(chat_notify_task, "delay", lambda *args: chat_notify_task.apply(args=args))
    yield server
    server.close()


def test_moderators_hear_of_a_partner_assessment_on_the_chat_channel(
    dana, held_case, chat_channel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = dana.post(f"/api/v1/cases/{held_case.pk}/assessments/", RATING, format="json")
    assert created.status_code == 201, created.content
    assessment = created.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert dana.delete(f"/api/v1/assessments/{assessment}/").status_code in (200, 204)

    texts = [r.body["text"] for r in chat_channel.received if r.path == "/hooks/moderation"]
    assert len(texts) == 2
    assert texts[0].startswith(f"Case {held_case.pk}: a partner fact-check was created (assessment ")
    assert "withdrawn" in texts[1]
    assert "Nepravda" not in " ".join(texts) and "syntetick" not in " ".join(texts)  # ids only
    events = AuditEvent.objects.filter(action="notification.sent", case_id=held_case.pk)
    assert sorted(e.inputs["event"] for e in events) == [
        "partner_assessment.created",
        "partner_assessment.withdrawn",
    ]


def test_no_channel_configured_sends_nothing(dana, held_case, settings, django_capture_on_commit_callbacks):
    settings.MODERATION_CHAT_WEBHOOK_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            dana.post(f"/api/v1/cases/{held_case.pk}/assessments/", RATING, format="json").status_code == 201
        )
    assert not AuditEvent.objects.filter(action__startswith="notification.").exists()
