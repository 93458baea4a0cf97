"""One case decision fans out to every submission of the case on every platform with a callback."""

import pytest

from integrations.callbacks.models import Delivery, DeliveryState
from integrations.callbacks.services import decision_fan_out
from tests.kit.callbacks import SILENCE_HOLD_ACTIONS, make_case, make_decision, make_submission
from triage.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def slovak_case(make_callback_platform):
    """Videoshare reported two posts with the same audio, chatapp one, forum (no callback) one."""
    videoshare, _ = make_callback_platform("videoshare")
    chatapp, _ = make_callback_platform("chatapp")
    forum, _ = make_callback_platform("forum", callback=False)
    case = make_case()
    make_submission(platform=videoshare, case=case, content_id="post-9", event_ids=["evt-1", "evt-4"])
    make_submission(platform=videoshare, case=case, content_id="post-12", event_ids=["evt-2"])
    make_submission(platform=chatapp, case=case, content_id="msg-77", event_ids=["c-1"])
    make_submission(platform=forum, case=case, content_id="thread-3", event_ids=["f-1"])
    return case


def test_one_delivery_per_content_on_each_platform_with_a_callback(slovak_case):
    decision = make_decision(case=slovak_case)

    deliveries = decision_fan_out(decision_id=decision.pk)

    assert sorted((d.platform.slug, d.content_id) for d in deliveries) == [
        ("chatapp", "msg-77"),
        ("videoshare", "post-12"),
        ("videoshare", "post-9"),
    ]
    assert all(d.state == DeliveryState.PENDING for d in deliveries)
    audit = AuditEvent.objects.get(action="decision.fanned_out")
    assert audit.case_id == slovak_case.pk
    assert audit.outcome["platforms_polling"] == ["forum"]


def test_the_body_is_the_issue_contract_with_extensions(slovak_case):
    decision = make_decision(case=slovak_case, notes=["creator disclosure in en, content in sk"])

    decision_fan_out(decision_id=decision.pk)

    body = Delivery.objects.get(content_id="post-9").body
    assert body == {
        "type": "decision",
        "decision_id": str(decision.decision_id),
        "case_id": slovak_case.pk,
        "content_id": "post-9",
        "event_ids": ["evt-1", "evt-4"],
        "phase": "silence",
        "phase_reason": {"country": "SK", "window_end": "2026-11-28T07:00:00Z"},
        "verdict": {"label": "likely_synthetic", "confidence": 0.9, "reasons": ["voice clone detector 0.93"]},
        # The label gains its spoken disclosure's signed URL (an extension): every stored field stays.
        "actions": [
            {**a, "audio_disclosure_url": body["actions"][i]["audio_disclosure_url"]}
            if a.get("audio_disclosure_script")
            else a
            for i, a in enumerate(SILENCE_HOLD_ACTIONS)
        ],
        "policy_version": 3,
        "decided_by": "policy",
        "notes": ["creator disclosure in en, content in sk"],
        "issued_at": body["issued_at"],
        "supersedes": None,
        "is_current": True,
    }
    assert body["issued_at"].endswith("Z")
    assert "/labels/audio/" in body["actions"][1]["audio_disclosure_url"]


def test_the_idempotency_key_names_decision_platform_and_content(slovak_case):
    decision = make_decision(case=slovak_case)
    decision_fan_out(decision_id=decision.pk)

    delivery = Delivery.objects.get(content_id="msg-77")

    assert delivery.idempotency_key == f"{decision.decision_id}:chatapp:{delivery.submission_id}"


def test_fanning_out_twice_creates_nothing_more(slovak_case):
    decision = make_decision(case=slovak_case)
    decision_fan_out(decision_id=decision.pk)

    assert decision_fan_out(decision_id=decision.pk) == []
    assert Delivery.objects.count() == 3


def test_a_newer_decision_supersedes_the_pending_deliveries_of_the_old_one(slovak_case):
    first = make_decision(case=slovak_case)
    decision_fan_out(decision_id=first.pk)
    second = make_decision(case=slovak_case, actions=[{"type": "no_action"}], phase="normal")

    decision_fan_out(decision_id=second.pk)

    assert set(Delivery.objects.filter(decision=first).values_list("state", flat=True)) == {"superseded"}
    newest = Delivery.objects.filter(decision=second)
    assert set(newest.values_list("state", flat=True)) == {"pending"}
    assert {d.body["supersedes"] for d in newest} == {str(first.decision_id)}


def test_a_decision_no_longer_current_is_not_sent(slovak_case):
    old = make_decision(case=slovak_case)
    make_decision(case=slovak_case, actions=[{"type": "no_action"}])

    assert decision_fan_out(decision_id=old.pk) == []


def test_a_submission_moved_into_the_case_by_a_merge_is_included(make_callback_platform):
    videoshare, _ = make_callback_platform("videoshare")
    live, provisional = make_case(), make_case(with_media=False)
    provisional.merged_into = live
    provisional.status = "merged"
    provisional.save()
    make_submission(platform=videoshare, case=provisional, content_id="post-1", event_ids=["e-1"])

    deliveries = decision_fan_out(decision_id=make_decision(case=live).pk)

    assert [d.content_id for d in deliveries] == ["post-1"]
