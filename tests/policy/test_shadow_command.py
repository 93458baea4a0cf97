"""`manage.py policy_shadow_run VERSION`: the shadow report on the command line."""

import pytest
from django.core.management import CommandError, call_command

from tests.policy import factories
from triage.decisions.models import PolicyVersion
from triage.decisions.services import case_decide_by_policy

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_policy")]

LABEL_EVERYTHING = {
    "schema": 1,
    "rules": [{"name": "label_all", "actions": [{"type": "label", "kind": "unverified"}]}],
}


def test_the_report_lists_each_case_that_would_change(capsys, default_policy):
    case = factories.case(countries=["US"], language="en")
    factories.verdict(case, "no_signal")
    case_decide_by_policy(case_id=case.pk, trigger="verdict")
    PolicyVersion.objects.create(version=default_policy.version + 1, rules=LABEL_EVERYTHING)

    call_command("policy_shadow_run", str(default_policy.version + 1), "--days", "3")

    out = capsys.readouterr().out
    assert "1 cases, 1 would change, 0 unchanged" in out
    assert f"case {case.pk}: no_action → label:unverified (rule label_all)" in out
    assert case.decisions.count() == 1


def test_an_unknown_version_is_a_clear_error():
    with pytest.raises(CommandError, match="No policy version 999"):
        call_command("policy_shadow_run", "999")
