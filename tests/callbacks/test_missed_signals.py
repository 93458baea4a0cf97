"""A decision whose decision_made signal was lost is still delivered and gets its statements."""

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.callbacks.models import Delivery
from integrations.callbacks.services import decisions_fan_out_missed
from integrations.transparency.models import StatementOfReasons
from integrations.transparency.services import statements_sweep_missed
from tests.kit.callbacks import make_case, make_decision, make_submission
from triage.decisions.models import Decision
from triage.signals import decision_made

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("decision_tasks_inline")]


@pytest.fixture
def case(make_callback_platform):
    videoshare, _ = make_callback_platform("videoshare")
    case = make_case()
    make_submission(platform=videoshare, case=case, content_id="post-9", event_ids=["evt-1"])
    return case


def test_the_sweep_fans_out_a_decision_whose_signal_was_lost(case):
    decision = make_decision(case=case)  # no decision_made sent

    assert decisions_fan_out_missed() == 1
    assert Delivery.objects.filter(decision=decision).count() == 1
    assert decisions_fan_out_missed() == 0  # done once


def test_the_sweep_leaves_a_decision_already_fanned_out(case):
    decision_made.send(sender=Decision, decision_id=make_decision(case=case).pk)

    assert decisions_fan_out_missed() == 0
    assert Delivery.objects.count() == 1


def test_the_sweep_leaves_decisions_older_than_a_day(case):
    make_decision(case=case)

    assert decisions_fan_out_missed(now=timezone.now() + timedelta(hours=25)) == 0


def test_the_statements_sweep_stores_what_a_lost_signal_missed(case):
    restricting = make_decision(case=case)
    make_decision(case=make_case(), actions=[{"type": "no_action"}])

    assert statements_sweep_missed() == 1
    assert StatementOfReasons.objects.get().decision == restricting
    assert statements_sweep_missed() == 0


def test_a_failing_receiver_does_not_fail_the_sender(case, caplog):
    decision = make_decision(case=case)

    decision_made.send(sender=Decision, decision_id=decision.pk + 10_000)  # no such decision

    assert "the sweep will retry" in caplog.text
    assert Delivery.objects.count() == 0
