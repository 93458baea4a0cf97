"""The rule set's schema: field-level errors for bad rules, first-match evaluation for good ones."""

from triage.decisions.default import DEFAULT_RULES
from triage.decisions.engine import rules_evaluate, rules_validate


def rules(*items):
    return {"schema": 1, "rules": list(items)}


def test_the_default_policy_is_valid():
    assert rules_validate(DEFAULT_RULES) == {}


def test_errors_name_the_field_that_is_wrong():
    errors = rules_validate(
        rules(
            {"name": "Bad Name", "when": {"phase": {"equals": "silence"}}, "actions": [{"type": "label"}]},
            {"name": "ok", "when": {"moon_phase": {"equals": "full"}}, "actions": [{"type": "removal_hold"}]},
            {"name": "ok2", "when": {"reach_velocity": {"in": ["fast"]}}, "actions": [{"type": "explode"}]},
        )
    )
    assert "rules[0].name" in errors
    assert any("Unknown label kind" in m for m in errors["rules[0].actions[0].kind"])
    assert any("Unknown input 'moon_phase'" in m for m in errors["rules[1].when"])
    assert any("whole minutes" in m for m in errors["rules[1].actions[0].review_deadline_minutes"])
    assert any("does not apply to reach_velocity" in m for m in errors["rules[2].when.reach_velocity"])
    assert any("Unknown action type 'explode'" in m for m in errors["rules[2].actions[0].type"])


def test_not_an_object_or_no_rules_is_an_error_not_a_crash():
    assert rules_validate([1, 2]) == {"rules": ['The rule set is an object: {"schema": 1, "rules": [...]}.']}
    assert "rules" in rules_validate({"schema": 1, "rules": []})
    assert "schema" in rules_validate({"rules": [{"name": "a", "actions": [{"type": "no_action"}]}]})


def test_duplicate_names_and_no_action_mixed_with_others_are_refused():
    errors = rules_validate(
        rules(
            {"name": "a", "actions": [{"type": "no_action"}, {"type": "escalate", "reason": "x"}]},
            {"name": "a", "actions": [{"type": "no_action"}]},
        )
    )
    assert "rules[1].name" in errors
    assert "rules[0].actions" in errors


def test_the_first_matching_rule_decides_by_priority_then_order():
    policy = rules(
        {"name": "general", "when": {"verdict": {"equals": "likely_synthetic"}},
         "actions": [{"type": "label", "kind": "likely_ai_generated"}]},
        {"name": "urgent", "priority": 10, "when": {"verdict": {"equals": "likely_synthetic"},
                                                   "reach_velocity": {"gte": 1000}},
         "actions": [{"type": "reduce_distribution"}]},
    )  # fmt: skip
    assert rules_validate(policy) == {}
    assert rules_evaluate(policy, {"verdict": "likely_synthetic", "reach_velocity": 5000}).rule == "urgent"
    assert rules_evaluate(policy, {"verdict": "likely_synthetic", "reach_velocity": 10}).rule == "general"
    nothing = rules_evaluate(policy, {"verdict": "no_signal"})
    assert (nothing.rule, nothing.actions) == (None, [{"type": "no_action"}])


def test_list_inputs_match_when_they_contain_the_value():
    policy = rules(
        {"name": "vs", "when": {"report_reasons": {"equals": "voter_suppression"}},
         "actions": [{"type": "escalate", "reason": "voter_suppression"}]},
        {"name": "flagger", "when": {"reporter_kinds": {"in": ["trusted_flagger", "authority"]}},
         "actions": [{"type": "reduce_distribution"}]},
    )  # fmt: skip
    assert rules_evaluate(policy, {"report_reasons": ["other", "voter_suppression"]}).rule == "vs"
    assert rules_evaluate(policy, {"report_reasons": [], "reporter_kinds": ["authority"]}).rule == "flagger"
    assert rules_evaluate(policy, {"report_reasons": [], "reporter_kinds": ["user_report"]}).rule is None
