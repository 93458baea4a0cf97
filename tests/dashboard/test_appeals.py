"""An appeal end to end: from the platform's signed webhook to the `appeal_decision` callbacks.

The Slovak audio is carried by two platforms (videoshare and forum). Alice removes it on the
terms of service. Its creator appeals on videoshare; the platform forwards the appeal through
the signed webhook; the case reopens; alice may not decide an appeal against her own decision;
bob modifies it to a label only; both platforms receive a signed `appeal_decision` callback on
their loopback endpoints (only videoshare gets its appeal's event id back); the statement of
reasons is amended; the appeal is counted per election.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.callbacks.models import Delivery
from integrations.callbacks.services import delivery_attempt
from integrations.platforms.services import platform_create
from integrations.transparency.models import StatementOfReasons
from tests.ingestion.helpers import post_signed
from tests.kit.callbacks import PlatformServer
from tests.policy import factories
from triage.audit.models import AuditEvent
from triage.decisions.models import Decision
from triage.decisions.services import case_decide_by_policy
from triage.models import Submission, SubmissionMedia
from triage.moderation.appeals import appeal_decide, appeal_stats
from triage.moderation.models import Appeal
from triage.moderation.services import NotAllowedError

from .conftest import login


@pytest.fixture
def platforms(db):
    server = PlatformServer()
    server.start()
    made = {}
    for slug in ("videoshare", "forum"):
        path = f"/{slug}/moratorium"
        platform, secret = platform_create(slug=slug, callback_url=server.url(path), allow_private_fetch=True)
        server.secrets[path] = [secret]
        made[slug] = (platform, secret)
    yield made, server
    server.close()


def _deliver_pending(case) -> None:
    for delivery in Delivery.objects.filter(decision__case=case, state="pending"):
        delivery_attempt(delivery_id=delivery.pk, now=timezone.now() + timedelta(seconds=1))


@pytest.mark.django_db
def test_an_appeal_from_webhook_to_every_platforms_callback(
    client, alice, bob, platforms, decision_tasks_inline, django_capture_on_commit_callbacks
):
    made, server = platforms
    videoshare, secret = made["videoshare"]
    forum, _ = made["forum"]
    case = factories.case(countries=["SK"], language="sk", subjects=["Michal Šimečka"])
    Submission.objects.filter(case=case).update(content_id="post-9")
    reshared = Submission.objects.create(
        platform=forum, content_id="thread-3", report_source="user_report", report_reason="synthetic_media",
        audience_countries=["SK"], case=case, state="processed",
    )  # fmt: skip
    SubmissionMedia.objects.create(
        submission=reshared, position=0, case=case, state="stored", media_item=case.media_item
    )
    factories.verdict(case, "likely_synthetic")
    with django_capture_on_commit_callbacks(execute=True):
        case_decide_by_policy(case_id=case.pk, trigger="verdict")
        login(client, alice)
        client.post(f"/cases/{case.pk}/take/")
        client.post(f"/cases/{case.pk}/outcome/", {"outcome": "remove", "ground": "terms_of_service"})
    removed = Decision.objects.get(case=case, is_current=True)
    assert removed.actions[0]["type"] == "remove"
    _deliver_pending(case)
    server.received.clear()

    # The creator appeals on videoshare, which forwards it through the signed webhook.
    appeal_event = {
        "type": "appeal", "event_id": "appeal-77", "content_id": "post-9", "appellant": "creator",
        "statement": "This is my own voice, recorded at the rally.",
    }  # fmt: skip
    answer = post_signed(client, videoshare, secret, appeal_event)
    assert answer.status_code == 202, answer.content
    assert answer.json()["case_id"] == case.pk and answer.json()["duplicate"] is False
    assert post_signed(client, videoshare, secret, appeal_event).json()["duplicate"] is True  # a replay
    unknown = {**appeal_event, "event_id": "a-2", "content_id": "nope"}
    refused = post_signed(client, videoshare, secret, unknown)
    assert refused.status_code == 400 and "content_id" in refused.json()["errors"]
    unsigned = client.post("/webhooks/videoshare/", appeal_event, content_type="application/json")
    assert unsigned.status_code == 401

    appeal = Appeal.objects.get(event_id="appeal-77")
    case.refresh_from_db()
    assert case.status == "awaiting_review"
    assert AuditEvent.objects.filter(case=case, action="case.appeal_received").exists()
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "This is my own voice" in page and "another moderator decides the appeal" in page

    with pytest.raises(NotAllowedError):
        appeal_decide(appeal_id=appeal.pk, user=alice, outcome="reversed")

    login(client, bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/appeals/{appeal.pk}/decide/", {"outcome": "modified", "label_kind": "likely_ai_generated"}
        )
    assert response.status_code == 302
    _deliver_pending(case)

    bodies = {r.path: r.body for r in server.received}
    assert all(r.signature_ok for r in server.received)
    assert set(bodies) == {"/videoshare/moratorium", "/forum/moratorium"}  # every platform carrying it
    for body in bodies.values():
        assert body["type"] == "appeal_decision"
        assert body["appeal"]["outcome"] == "modified"
        assert body["appeal"]["appealed_decision_id"] == str(removed.decision_id)
        assert [a["type"] for a in body["actions"]] == ["label"]
        assert "This is my own voice" not in str(body)  # the appellant's words stay inside
    assert bodies["/videoshare/moratorium"]["appeal"]["event_id"] == "appeal-77"
    assert bodies["/videoshare/moratorium"]["content_id"] == "post-9"
    assert bodies["/forum/moratorium"]["appeal"]["event_id"] is None

    appeal.refresh_from_db()
    assert appeal.state == "decided" and appeal.decided_by == bob
    case.refresh_from_db()
    assert case.status == "decided"
    amended = StatementOfReasons.objects.filter(decision=appeal.outcome_decision)
    assert amended.count() == 2
    assert all("after an internal complaint, the decision was modified" in s.statement["decision_facts"]
               for s in amended)  # fmt: skip
    (stats,) = appeal_stats()
    assert (stats.received, stats.open, stats.outcomes["modified"]) == (1, 0, 1)
