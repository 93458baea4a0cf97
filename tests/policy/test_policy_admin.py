"""Operators edit policy drafts in the admin: bad rules get field errors, active versions never change."""

import json

import pytest

from tests.policy import factories
from tests.policy.factories import STRICTER
from triage.decisions.default import DEFAULT_RULES
from triage.decisions.models import PolicyVersion
from triage.decisions.services import case_decide_by_policy, policy_draft_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_policy")]


def test_a_draft_with_bad_rules_is_refused_with_the_field_named(olivia_client):
    bad = {
        "schema": 1,
        "rules": [{"name": "x", "when": {"phase": {"gte": 3}}, "actions": [{"type": "label"}]}],
    }

    response = olivia_client.post(
        "/admin/policy/policyversion/add/", {"description": "try", "rules": json.dumps(bad)}
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["rules"]
    assert any("rules[0].when.phase" in e for e in errors)
    assert any("rules[0].actions[0].kind" in e for e in errors)
    assert not PolicyVersion.objects.filter(description="try").exists()


def test_a_draft_that_is_not_json_is_a_form_error_not_a_crash(olivia_client):
    response = olivia_client.post(
        "/admin/policy/policyversion/add/", {"description": "x", "rules": "{not json"}
    )

    assert response.status_code == 200
    assert "rules" in response.context["adminform"].form.errors


def test_a_valid_draft_gets_the_next_version_number_and_stays_a_draft(olivia_client, default_policy):
    response = olivia_client.post(
        "/admin/policy/policyversion/add/", {"description": "stricter", "rules": json.dumps(STRICTER)}
    )

    assert response.status_code == 302
    draft = PolicyVersion.objects.get(description="stricter")
    assert (draft.version, draft.status) == (default_policy.version + 1, "draft")


def test_the_active_version_is_read_only(olivia_client, default_policy):
    page = olivia_client.get(f"/admin/policy/policyversion/{default_policy.pk}/change/")
    olivia_client.post(
        f"/admin/policy/policyversion/{default_policy.pk}/change/",
        {"description": "tampered", "rules": json.dumps(STRICTER)},
    )

    assert page.status_code == 200
    assert b'name="rules"' not in page.content
    default_policy.refresh_from_db()
    assert default_policy.rules == DEFAULT_RULES and default_policy.description != "tampered"


def test_shadow_run_shows_what_a_draft_would_change_then_activation_applies_it(olivia_client, default_policy):
    likely = factories.case(countries=["US"], language="en")
    factories.verdict(likely, "likely_synthetic")
    quiet = factories.case(countries=["US"], language="en")
    factories.verdict(quiet, "no_signal")
    for case in (likely, quiet):
        case_decide_by_policy(case_id=case.pk, trigger="verdict")
    draft = PolicyVersion.objects.create(version=default_policy.version + 1, rules=STRICTER)

    page = olivia_client.post(
        "/admin/policy/policyversion/", {"action": "shadow_run", "_selected_action": [draft.pk]}
    )

    assert page.status_code == 200
    (report,) = page.context["reports"]
    assert (report.cases_evaluated, report.changed) == (2, 1)
    assert report.changes[0].case_id == likely.pk
    assert report.changes[0].proposed == ["removal_hold"]
    assert likely.decisions.count() == 1  # nothing written

    olivia_client.post("/admin/policy/policyversion/", {"action": "activate", "_selected_action": [draft.pk]})

    draft.refresh_from_db()
    default_policy.refresh_from_db()
    assert (draft.status, default_policy.status) == ("active", "retired")
    decision = case_decide_by_policy(case_id=likely.pk, trigger="reevaluate")
    assert decision.policy_version == draft and decision.matched_rules == ["hold_everything_likely"]


def test_decisions_are_listed_read_only(olivia_client):
    case = factories.case(countries=["US"], language="en")
    factories.verdict(case, "likely_synthetic")
    decision = case_decide_by_policy(case_id=case.pk, trigger="verdict")

    listing = olivia_client.get("/admin/policy/decision/")
    page = olivia_client.get(f"/admin/policy/decision/{decision.pk}/change/")

    assert listing.status_code == 200 and str(decision.decision_id).encode() in listing.content
    assert page.status_code == 200 and b'name="actions"' not in page.content
    assert olivia_client.get("/admin/policy/decision/add/").status_code == 403
    assert olivia_client.get("/admin/policy/policyversion/").status_code == 200


def test_who_may_only_view_policy_versions_can_neither_activate_nor_copy_them(
    client, policy_viewer, default_policy
):
    draft = policy_draft_create(rules=STRICTER, description="stricter")
    versions = PolicyVersion.objects.count()

    listing = client.get("/admin/policy/policyversion/")
    for action in ("activate", "copy_to_draft"):
        client.post("/admin/policy/policyversion/", {"action": action, "_selected_action": [draft.pk]})

    assert listing.status_code == 200
    assert b'value="activate"' not in listing.content
    assert b'value="copy_to_draft"' not in listing.content
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert PolicyVersion.objects.count() == versions
