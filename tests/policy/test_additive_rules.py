"""Friction first match, escalation and review additive (issue 11): the engine and its validation."""

from triage.decisions.engine import rules_describe, rules_evaluate, rules_validate

RULES = {
    "schema": 1,
    "rules": [
        {"name": "satire_label", "when": {"satire_claim": {"bool": True}},
         "actions": [{"type": "label", "kind": "likely_ai_generated"}]},
        {"name": "suppression_label", "when": {"report_reasons": {"equals": "voter_suppression"}},
         "actions": [{"type": "label", "kind": "unverified"},
                     {"type": "escalate", "reason": "voter_suppression"}]},
        {"name": "otherwise", "actions": [{"type": "no_action"}]},
        {"name": "escalate_suppression", "also": True,
         "when": {"report_reasons": {"equals": "voter_suppression"}},
         "actions": [{"type": "escalate", "reason": "voter_suppression"}]},
        {"name": "review_fallback", "also": True, "when": {"language_fallback": {"bool": True}},
         "review_deadline_minutes": 240},
        {"name": "review_fast", "also": True, "when": {"reach_velocity": {"gte": 1000}},
         "review_deadline_minutes": 60, "actions": [{"type": "reduce_distribution"}]},
    ],
}  # fmt: skip


def test_the_rule_set_is_valid():
    assert rules_validate(RULES) == {}


def test_a_satire_tick_steers_the_label_but_the_escalation_is_added_anyway():
    match = rules_evaluate(RULES, {"satire_claim": True, "report_reasons": ["voter_suppression"]})

    assert match.rule == "satire_label"
    assert match.also == ["escalate_suppression"]
    assert match.rules == ["satire_label", "escalate_suppression"]
    assert match.actions == [
        {"type": "label", "kind": "likely_ai_generated"},
        {"type": "escalate", "reason": "voter_suppression"},
    ]


def test_without_the_report_nothing_is_added():
    match = rules_evaluate(RULES, {"satire_claim": True, "report_reasons": ["synthetic_media"]})

    assert match.rules == ["satire_label"]
    assert match.actions == [{"type": "label", "kind": "likely_ai_generated"}]


def test_an_escalation_the_friction_rule_already_has_is_not_doubled():
    match = rules_evaluate(RULES, {"report_reasons": ["voter_suppression"]})

    assert [a["type"] for a in match.actions] == ["label", "escalate"]


def test_additive_rules_turn_no_action_into_their_actions_and_the_earliest_review_wins():
    match = rules_evaluate(RULES, {"language_fallback": True, "reach_velocity": 5000})

    assert match.rule == "otherwise"
    assert match.actions == [{"type": "reduce_distribution"}]
    assert match.review_deadline_minutes == 60


def test_an_additive_rule_may_not_label_or_hold():
    bad = {
        "schema": 1,
        "rules": [
            {"name": "sneaky", "also": True, "actions": [{"type": "label", "kind": "unverified"}]},
            {"name": "hold_too", "also": True, "actions": [
                {"type": "removal_hold", "review_deadline_minutes": 30}]},
            {"name": "silly", "also": "yes", "actions": [{"type": "no_action"}]},
        ],
    }  # fmt: skip

    errors = rules_validate(bad)

    assert "rules[0].actions[0].type" in errors
    assert "rules[1].actions[0].type" in errors
    assert errors["rules[2].also"] == ["also is true (an additive rule) or false."]


def test_a_hold_territory_must_be_known():
    rules = {"schema": 1, "rules": [{"name": "h", "actions": [
        {"type": "removal_hold", "review_deadline_minutes": 30, "territory": "moon"}]}]}  # fmt: skip

    assert rules_validate(rules) == {
        "rules[0].actions[0].territory": ["territory is one of: silence_countries, global."]
    }


def test_the_admin_description_marks_additive_rules():
    lines = rules_describe(RULES)

    assert lines[3].startswith("also escalate_suppression: when report_reasons equals 'voter_suppression'")
    assert lines[4] == "also review_fallback: when language_fallback bool True → review"
