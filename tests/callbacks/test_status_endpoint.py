"""Platforms that poll get the same decision body as the callback carries."""

import pytest

from integrations.callbacks.models import Delivery
from integrations.callbacks.services import decision_fan_out
from tests.ingestion.helpers import get_status_signed
from tests.kit.callbacks import make_case, make_decision, make_submission

pytestmark = pytest.mark.django_db


def test_an_undecided_case_has_no_decision(client, make_callback_platform):
    platform, secret = make_callback_platform("forum", callback=False)
    make_submission(platform=platform, case=make_case(), content_id="thread-3", event_ids=["f-1"])

    answer = get_status_signed(client, platform, secret, "f-1")

    assert answer.status_code == 200
    assert answer.json()["decision"] is None


def test_the_status_url_returns_the_current_decision_as_the_callback_body(client, make_callback_platform):
    videoshare, secret = make_callback_platform("videoshare")
    case = make_case()
    make_submission(platform=videoshare, case=case, content_id="post-9", event_ids=["evt-1", "evt-4"])
    make_decision(case=case)
    current = make_decision(case=case, actions=[{"type": "reduce_distribution"}], phase="election_period")
    decision_fan_out(decision_id=current.pk)

    answer = get_status_signed(client, videoshare, secret, "evt-4")

    assert answer.status_code == 200
    assert answer.json()["decision"] == Delivery.objects.get(decision=current).body
    assert answer.json()["decision"]["event_ids"] == ["evt-1", "evt-4"]
    assert answer.json()["decision"]["actions"] == [{"type": "reduce_distribution"}]


def test_a_platform_without_a_callback_url_polls_the_decision(client, make_callback_platform):
    forum, secret = make_callback_platform("forum", callback=False)
    case = make_case()
    make_submission(platform=forum, case=case, content_id="thread-3", event_ids=["f-1"])
    decision = make_decision(case=case)

    assert decision_fan_out(decision_id=decision.pk) == []
    body = get_status_signed(client, forum, secret, "f-1").json()["decision"]

    assert body["decision_id"] == str(decision.decision_id)
    assert body["content_id"] == "thread-3" and body["phase"] == "silence"
