"""Decisions made through the policy services (P1) reach the platforms and get their statements."""

import pytest
from django.contrib.auth import get_user_model

from integrations.callbacks.models import Delivery
from integrations.transparency.models import StatementOfReasons
from tests.kit.callbacks import make_case, make_submission
from triage.decisions.services import case_decide_by_moderator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("decision_tasks_inline")]


def test_a_moderators_hold_is_fanned_out_and_gets_a_statement(
    make_callback_platform, django_capture_on_commit_callbacks
):
    alice = get_user_model().objects.create_user("alice", password="pw-alice-123", is_staff=True)
    videoshare, _ = make_callback_platform("videoshare")
    chatapp, _ = make_callback_platform("chatapp")
    case = make_case()
    make_submission(platform=videoshare, case=case, content_id="post-9", event_ids=["evt-1"])
    make_submission(platform=chatapp, case=case, content_id="msg-77", event_ids=["c-1"])

    with django_capture_on_commit_callbacks(execute=True):
        decision = case_decide_by_moderator(
            case_id=case.pk,
            user=alice,
            actions=[
                {"type": "removal_hold", "review_deadline_minutes": 30},
                {"type": "label", "kind": "likely_ai_generated"},
            ],
        )

    bodies = {d.content_id: d.body for d in Delivery.objects.filter(decision=decision)}
    assert set(bodies) == {"post-9", "msg-77"}
    body = bodies["post-9"]
    assert body["decided_by"] == "moderator" and body["decision_id"] == str(decision.decision_id)
    assert [a["type"] for a in body["actions"]] == ["removal_hold", "label"]
    # Stored actions go out as they are; a spoken label gains its audio URL (an extension).
    assert [
        {k: v for k, v in a.items() if k != "audio_disclosure_url"} for a in body["actions"]
    ] == decision.actions
    assert "/labels/audio/" in body["actions"][1]["audio_disclosure_url"]
    statements = StatementOfReasons.objects.filter(decision=decision)
    assert statements.count() == 2
    assert all(s.valid for s in statements), [s.errors for s in statements]
