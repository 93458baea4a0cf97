"""The rule engine: validate a rule set, and evaluate it against a case's inputs.

A pure module (no database, no clock): `rules_validate` returns field-keyed errors for the admin,
`rules_evaluate` returns which rule matched and the actions it asks for. Rendering label texts and
computing deadlines is the service's job (triage/decisions/services/deciding.py).

Schema of `PolicyVersion.rules` (docs/policy.md has the prose version):

    {"schema": 1,
     "rules": [
        {"name": "silence_hold_likely",            # unique, [a-z0-9_]
         "description": "…",                       # optional, plain words
         "priority": 100,                          # optional int; higher is tried first, ties keep list order
         "when": {"phase": {"equals": "silence"},  # every condition must hold (AND); {} always matches
                  "verdict": {"in": ["likely_synthetic"]},
                  "public_figure_without_consent": {"bool": true},
                  "reach_velocity": {"gte": 1000}},
         "actions": [{"type": "removal_hold", "review_deadline_minutes": 30, "hold_reason": "silence"},
                     {"type": "label", "kind": "likely_ai_generated"},
                     {"type": "escalate", "reason": "voter_suppression"},
                     {"type": "reduce_distribution"},
                     {"type": "no_action"}],
         "review_deadline_minutes": 240}]}          # optional: a human must review (no hold needed)

Semantics: **friction first match, escalation and review additive**. Rules are tried by
descending priority (then list order). Among the ordinary ("friction") rules the first whose
conditions all hold decides the friction (label, hold, distribution); no other friction rule is
consulted. Rules marked `"also": true` are additive: every one whose conditions hold adds its
escalations, distribution limit and review deadline to whatever the friction rule chose, and none
can remove anything. So a self-declaration (a satire or AI tick) that steers the friction rule
never switches off an escalation or a review. No friction rule matching means "no_action" (unless
an "also" rule adds something).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from triage.decisions.labels import LabelKind
from triage.decisions.labels.drafts import RULES_KEY as DRAFTS_RULES_KEY
from triage.decisions.labels.drafts import drafts_setting_validate

SCHEMA_VERSION = 1

# Input name → kind. "list" inputs hold several values (e.g. every report reason of the case):
# `equals` means "contains", `in` means "contains any of".
INPUT_KINDS: dict[str, str] = {
    "verdict": "str",
    "verdict_confidence": "number",
    "phase": "str",
    "media_type": "str",
    "public_figure": "bool",
    "consent": "bool",
    "public_figure_without_consent": "bool",
    "creator_disclosed": "bool",
    "satire_claim": "bool",
    "reach_velocity": "number",
    "reporter_kinds": "list",
    "report_reasons": "list",
    "content_language": "str",
    "language_mismatch": "bool",
    "trigger": "str",
    "previous_hold_reason": "str",
    # Added by issue 11 (docs/policy.md "Inputs the rules can test").
    "election_report_trusted": "bool",
    "election_user_reports": "number",
    "fact_checked": "bool",
    "fact_check_rating": "str",
    "phase_country": "str",
    "silence_scope": "str",
    "silence_covers_online": "str",
    "language_fallback": "bool",
    "disclosed_not_authorized": "bool",
}
OPERATORS_BY_KIND: dict[str, set[str]] = {
    "str": {"equals", "in"},
    "list": {"equals", "in"},
    "number": {"equals", "gte", "lte"},
    "bool": {"bool", "equals"},
}
ACTION_TYPES = ("label", "removal_hold", "reduce_distribution", "escalate", "no_action")
# What an additive ("also") rule may add: never a label or a hold (those are the friction rule's).
ALSO_ACTION_TYPES = ("escalate", "reduce_distribution")
HOLD_REASONS = ("silence", "post_silence", "policy")
# Where a removal hold applies: the audience countries whose silence covers online media (the
# default for silence holds), or everywhere the content is shown.
HOLD_TERRITORIES = ("silence_countries", "global")
_NAME_RE = re.compile(r"^[a-z0-9_]{1,64}\Z")
MAX_DEADLINE_MINUTES = 60 * 24 * 30


@dataclass(frozen=True)
class Match:
    """What the policy asks for: the rule that decided and its actions (as written in the rules)."""

    rule: str | None
    actions: list[dict[str, Any]]
    review_deadline_minutes: int | None = None
    tried: list[str] = field(default_factory=list)
    also: list[str] = field(default_factory=list)  # the additive rules that applied, in order

    @property
    def rules(self) -> list[str]:
        """Every rule that contributed: the friction rule first, then the additive ones."""
        return ([self.rule] if self.rule else []) + self.also


Errors = dict[str, list[str]]


def _add(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _minutes_ok(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_DEADLINE_MINUTES


def _validate_condition(errors: Errors, where: str, name: str, test: Any) -> None:
    kind = INPUT_KINDS.get(name)
    if kind is None:
        _add(errors, where, f"Unknown input {name!r}; expected one of: {', '.join(sorted(INPUT_KINDS))}.")
        return
    if not isinstance(test, Mapping) or len(test) != 1:
        _add(errors, f"{where}.{name}", 'Give exactly one operator, e.g. {"equals": "silence"}.')
        return
    ((op, value),) = test.items()
    if op not in OPERATORS_BY_KIND[kind]:
        allowed = ", ".join(sorted(OPERATORS_BY_KIND[kind]))
        _add(errors, f"{where}.{name}", f"Operator {op!r} does not apply to {name} ({kind}); use {allowed}.")
        return
    if op == "in" and not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
        _add(errors, f"{where}.{name}", '"in" takes a non-empty list of strings.')
    elif op in ("gte", "lte") and not _is_number(value):
        _add(errors, f"{where}.{name}", f'"{op}" takes a number.')
    elif op == "bool" and not isinstance(value, bool):
        _add(errors, f"{where}.{name}", '"bool" takes true or false.')
    elif op == "equals":
        expected = {"str": str, "list": str, "bool": bool}.get(kind)
        ok = _is_number(value) if kind == "number" else isinstance(value, expected)
        if not ok:
            _add(
                errors,
                f"{where}.{name}",
                f'"equals" on {name} takes a {kind if kind != "list" else "string"}.',
            )


def _validate_action(errors: Errors, where: str, action: Any) -> None:
    if not isinstance(action, Mapping):
        _add(errors, where, "An action is an object with a type.")
        return
    kind = action.get("type")
    if kind not in ACTION_TYPES:
        _add(
            errors,
            f"{where}.type",
            f"Unknown action type {kind!r}; expected one of: {', '.join(ACTION_TYPES)}.",
        )
        return
    allowed = {"type"}
    if kind == "label":
        allowed |= {"kind"}
        if action.get("kind") not in LabelKind.values:
            _add(
                errors,
                f"{where}.kind",
                f"Unknown label kind {action.get('kind')!r}; expected one of: {', '.join(LabelKind.values)}.",
            )
    elif kind == "removal_hold":
        allowed |= {"review_deadline_minutes", "hold_reason", "territory"}
        if action.get("territory", "silence_countries") not in HOLD_TERRITORIES:
            _add(errors, f"{where}.territory", f"territory is one of: {', '.join(HOLD_TERRITORIES)}.")
        if not _minutes_ok(action.get("review_deadline_minutes")):
            _add(
                errors,
                f"{where}.review_deadline_minutes",
                f"A removal hold needs a review deadline in whole minutes (1 to {MAX_DEADLINE_MINUTES}).",
            )
        if action.get("hold_reason", "policy") not in HOLD_REASONS:
            _add(errors, f"{where}.hold_reason", f"hold_reason is one of: {', '.join(HOLD_REASONS)}.")
    elif kind == "escalate":
        allowed |= {"reason"}
        reason = action.get("reason")
        if not isinstance(reason, str) or not reason.strip() or len(reason) > 100:
            _add(errors, f"{where}.reason", "An escalation needs a short reason (e.g. voter_suppression).")
    extra = sorted(set(action) - allowed)
    if extra:
        _add(errors, where, f"Unexpected keys for {kind}: {', '.join(extra)}.")


def rules_validate(rules: Any) -> Errors:
    """Return field-keyed errors ("rules[2].when.phase": [...]) for a rule set; {} when valid."""
    errors: Errors = {}
    if not isinstance(rules, Mapping):
        return {"rules": ['The rule set is an object: {"schema": 1, "rules": [...]}.']}
    if rules.get("schema") != SCHEMA_VERSION:
        _add(errors, "schema", f"Set schema to {SCHEMA_VERSION}.")
    extra = sorted(set(rules) - {"schema", "rules", "description", "holds", DRAFTS_RULES_KEY})
    if extra:
        _add(errors, "rules", f"Unexpected keys: {', '.join(extra)}.")
    if DRAFTS_RULES_KEY in rules:
        for message in drafts_setting_validate(rules[DRAFTS_RULES_KEY]):
            _add(errors, DRAFTS_RULES_KEY, message)
    from .holds import holds_validate  # the hold's longest life and its lapse (triage/decisions/holds.py)

    errors.update(holds_validate(rules.get("holds")))
    items = rules.get("rules")
    if not isinstance(items, list) or not items:
        _add(errors, "rules", "Give a non-empty list of rules.")
        return errors
    names: set[str] = set()
    for i, rule in enumerate(items):
        where = f"rules[{i}]"
        if not isinstance(rule, Mapping):
            _add(errors, where, "A rule is an object with a name, when and actions.")
            continue
        name = rule.get("name")
        if not isinstance(name, str) or not _NAME_RE.match(name):
            _add(errors, f"{where}.name", "A name of lower-case letters, digits and underscores.")
        elif name in names:
            _add(errors, f"{where}.name", f"Another rule is already named {name!r}.")
        else:
            names.add(name)
        extra = sorted(
            set(rule)
            - {"name", "description", "priority", "when", "actions", "review_deadline_minutes", "also"}
        )
        if extra:
            _add(errors, where, f"Unexpected keys: {', '.join(extra)}.")
        if "priority" in rule and not (
            isinstance(rule["priority"], int) and not isinstance(rule["priority"], bool)
        ):
            _add(errors, f"{where}.priority", "priority is a whole number (higher is tried first).")
        when = rule.get("when", {})
        if not isinstance(when, Mapping):
            _add(errors, f"{where}.when", "when is an object of input: {operator: value}.")
        else:
            for input_name, test in when.items():
                _validate_condition(errors, f"{where}.when", input_name, test)
        also = rule.get("also", False)
        if not isinstance(also, bool):
            _add(errors, f"{where}.also", "also is true (an additive rule) or false.")
            also = False
        actions = rule.get("actions")
        if also and actions in (None, []) and "review_deadline_minutes" in rule:
            actions = None  # an additive rule may ask only for a review
        elif also and isinstance(actions, list):
            for j, action in enumerate(actions):
                if isinstance(action, Mapping) and action.get("type") not in ALSO_ACTION_TYPES:
                    _add(
                        errors,
                        f"{where}.actions[{j}].type",
                        "An additive (also) rule only adds: "
                        f"{', '.join(ALSO_ACTION_TYPES)} or a review_deadline_minutes.",
                    )
        if actions is None:
            pass
        elif not isinstance(actions, list) or not actions:
            _add(errors, f"{where}.actions", "Give at least one action (no_action to do nothing).")
        else:
            for j, action in enumerate(actions):
                _validate_action(errors, f"{where}.actions[{j}]", action)
            types = [a.get("type") for a in actions if isinstance(a, Mapping)]
            if "no_action" in types and len(types) > 1:
                _add(errors, f"{where}.actions", "no_action cannot be combined with other actions.")
            for once in ("label", "removal_hold"):
                if types.count(once) > 1:
                    _add(errors, f"{where}.actions", f"At most one {once} action per rule.")
        if "review_deadline_minutes" in rule and not _minutes_ok(rule["review_deadline_minutes"]):
            _add(errors, f"{where}.review_deadline_minutes", f"Whole minutes, 1 to {MAX_DEADLINE_MINUTES}.")
    return errors


def _holds(value: Any, op: str, expected: Any) -> bool:
    if isinstance(value, list | tuple | set | frozenset):
        if op == "equals":
            return expected in value
        if op == "in":
            return any(v in value for v in expected)
        return False
    if op == "bool":
        # Record inputs (fact_checked: rating, who, when, link) hold when present.
        return bool(value) == expected
    if op == "equals":
        return value == expected
    if op == "in":
        return value in expected
    if value is None:
        return False
    if op == "gte":
        return value >= expected
    if op == "lte":
        return value <= expected
    return False


def rule_matches(rule: Mapping[str, Any], inputs: Mapping[str, Any]) -> bool:
    for name, test in (rule.get("when") or {}).items():
        ((op, expected),) = test.items()
        if not _holds(inputs.get(name), op, expected):
            return False
    return True


def input_condition_flips(rules: Mapping[str, Any], name: str, before: Any, after: Any) -> bool:
    """True when some rule's condition on input `name` holds for one value and not the other.

    How a fold of new reports tells whether a number it moved (reach velocity, election user
    reports) crossed a threshold the policy tests, without evaluating the whole policy.
    """
    for rule in rules.get("rules") or []:
        test = (rule.get("when") or {}).get(name)
        if test:
            ((op, expected),) = test.items()
            if _holds(before, op, expected) != _holds(after, op, expected):
                return True
    return False


def rules_ordered(rules: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    items = list(rules.get("rules") or [])
    # sorted() is stable: rules of equal priority keep their list order.
    return sorted(items, key=lambda r: -int(r.get("priority", 0)))


def _merge_additive(actions: list[dict[str, Any]], added: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add an "also" rule's actions to the friction rule's: nothing is removed, nothing doubled."""
    out = [a for a in actions if a.get("type") != "no_action"]
    for action in added:
        if action.get("type") == "escalate" and any(
            a.get("type") == "escalate" and a.get("reason") == action.get("reason") for a in out
        ):
            continue
        if action.get("type") == "reduce_distribution" and any(
            a.get("type") == "reduce_distribution" for a in out
        ):
            continue
        out.append(dict(action))
    return out or [{"type": "no_action"}]


def _earliest(first: int | None, second: int | None) -> int | None:
    if first is None:
        return second
    if second is None:
        return first
    return min(first, second)


def rules_evaluate(rules: Mapping[str, Any], inputs: Mapping[str, Any]) -> Match:
    """Return the first matching friction rule's actions plus those of every matching "also" rule.

    No friction rule matching means no_action (with whatever the additive rules add).
    """
    tried: list[str] = []
    friction: Mapping[str, Any] | None = None
    additive: list[Mapping[str, Any]] = []
    for rule in rules_ordered(rules):
        if rule.get("also"):
            tried.append(rule["name"])
            if rule_matches(rule, inputs):
                additive.append(rule)
        elif friction is None:
            tried.append(rule["name"])
            if rule_matches(rule, inputs):
                friction = rule
    actions = [dict(a) for a in friction["actions"]] if friction else [{"type": "no_action"}]
    review = friction.get("review_deadline_minutes") if friction else None
    for rule in additive:
        actions = _merge_additive(actions, list(rule.get("actions") or []))
        review = _earliest(review, rule.get("review_deadline_minutes"))
    return Match(
        rule=friction["name"] if friction else None,
        actions=actions,
        review_deadline_minutes=review,
        tried=tried,
        also=[r["name"] for r in additive],
    )


def rules_describe(rules: Mapping[str, Any]) -> Sequence[str]:
    """One plain line per rule, in evaluation order (for the admin and the docs)."""
    lines = []
    for rule in rules_ordered(rules):
        when = ", ".join(
            f"{k} {op} {v!r}" for k, t in (rule.get("when") or {}).items() for op, v in t.items()
        )
        acts = ", ".join(a.get("type", "?") for a in rule.get("actions") or [])
        if rule.get("review_deadline_minutes"):
            acts = f"{acts}, review" if acts else "review"
        prefix = "also " if rule.get("also") else ""
        lines.append(f"{prefix}{rule.get('name')}: when {when or 'always'} → {acts}")
    return lines
