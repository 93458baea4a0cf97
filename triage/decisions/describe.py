"""The rules' plain-words description, generated from the policy data (one source of truth).

`rules_markdown(rules)` renders a rule set as the numbered list docs/policy.md shows under "The
default policy, in plain words"; `manage.py policy_describe --write` puts it there between the
markers, and tests/policy/test_policy_doc.py fails when the docs and the data differ.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .engine import rules_ordered

BEGIN, END = (
    "<!-- policy-rules:begin (generated: manage.py policy_describe --write) -->",
    "<!-- policy-rules:end -->",
)
_OPERATOR_WORDS = {"equals": "is", "in": "is one of", "gte": "≥", "lte": "≤"}
_LIST_WORDS = {"equals": "include", "in": "include any of"}
_LIST_INPUTS = {"report_reasons", "reporter_kinds"}


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(f"`{v}`" for v in value)
    return f"`{value}`"


def _condition(name: str, test: Mapping[str, Any]) -> str:
    ((op, value),) = test.items()
    if op == "bool":
        return f"`{name}` is {'yes' if value else 'no'}"
    words = _LIST_WORDS[op] if name in _LIST_INPUTS else _OPERATOR_WORDS[op]
    return f"`{name}` {words} {_value(value)}"


def _action(action: Mapping[str, Any]) -> str:
    kind = action.get("type")
    if kind == "label":
        return f"label `{action['kind']}`"
    if kind == "removal_hold":
        where = "everywhere" if action.get("territory") == "global" else "in the silent countries"
        return (
            f"removal hold ({action.get('hold_reason', 'policy')}, {where}; a human within "
            f"{action['review_deadline_minutes']} minutes)"
        )
    if kind == "escalate":
        return f"escalate (`{action['reason']}`)"
    if kind == "reduce_distribution":
        return "reduce distribution"
    return "no action"


def _then(rule: Mapping[str, Any]) -> str:
    parts = [_action(a) for a in rule.get("actions") or []]
    if rule.get("review_deadline_minutes"):
        parts.append(f"a human reviews within {rule['review_deadline_minutes']} minutes")
    return "; ".join(parts)


def rules_markdown(rules: Mapping[str, Any]) -> str:
    """The rule set in plain words: the friction rules in order, then the additive ones."""
    ordered = rules_ordered(rules)
    friction = [r for r in ordered if not r.get("also")]
    additive = [r for r in ordered if r.get("also")]
    lines = ["**Friction** — the first of these that applies decides the label and any hold:", ""]
    for number, rule in enumerate(friction, start=1):
        when = " and ".join(_condition(k, t) for k, t in (rule.get("when") or {}).items()) or "always"
        lines.append(f"{number}. **`{rule['name']}`** — {rule.get('description', '').strip()}")
        lines.append(f"   *When* {when}. *Then* {_then(rule)}.")
    if additive:
        lines += [
            "",
            "**Also** — every one of these that applies adds to the friction above; none removes anything:",
            "",
        ]
        for rule in additive:
            when = " and ".join(_condition(k, t) for k, t in (rule.get("when") or {}).items()) or "always"
            lines.append(f"- **`{rule['name']}`** — {rule.get('description', '').strip()}")
            lines.append(f"  *When* {when}. *Then* {_then(rule)}.")
    return "\n".join(lines) + "\n"


def doc_block_replace(text: str, *, begin: str, end: str, body: str) -> str:
    """Replace what lies between the markers (kept) with `body`; raise if the markers are missing."""
    pattern = re.compile(re.escape(begin) + r"\n.*?" + re.escape(end), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"the markers {begin!r} … {end!r} are missing")
    return pattern.sub(lambda _: f"{begin}\n{body}{end}", text, count=1)


def doc_block(text: str, *, begin: str, end: str) -> str | None:
    match = re.search(re.escape(begin) + r"\n(.*?)" + re.escape(end), text, re.DOTALL)
    return match.group(1) if match else None


def policy_doc_path() -> Path:
    return Path(__file__).resolve().parents[2] / "docs" / "policy.md"
