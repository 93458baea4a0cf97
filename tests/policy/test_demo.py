"""demo_setup seeds the three case-study cases through the real services (tasks run in-process)."""

import pytest
from django.core.management import call_command

from tests.policy import factories
from triage.decisions.models import Decision

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_policy")]


@pytest.fixture
def eager_tasks():
    """The embedded default: no broker, tasks run in the calling process."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_the_demo_seeds_the_three_scenarios_with_real_verdicts(eager_tasks, capsys):
    for code in ("SK", "PK", "US"):
        factories.country(code)

    call_command("demo_setup")
    call_command("demo_setup")  # idempotent

    decisions = {
        d.case.audience_countries[0]: d
        for d in Decision.objects.filter(is_current=True).select_related("case")
    }
    assert set(decisions) == {"SK", "PK", "US"}
    assert {d.verdict["label"] for d in decisions.values()} == {"likely_synthetic"}
    assert decisions["SK"].hold_reason == "silence" and decisions["SK"].phase == "silence"
    assert decisions["PK"].matched_rules == ["authorized_likeness_disclosed"]
    assert "creator disclosure in en, content in ur" in decisions["PK"].notes
    assert decisions["US"].matched_rules == ["likely_synthetic_label", "escalate_voter_suppression_likely"]
    assert Decision.objects.count() == 3
    out = capsys.readouterr().out
    assert "already there" in out
    assert "WARNING: No detector is configured" in out
