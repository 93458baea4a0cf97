"""docs/policy.md's plain-words rules and shadow table are generated from the data, never kept by hand.

Regenerate after changing the default policy or the scenario table:
`python manage.py policy_describe --write` (the rules) and
`MORATORIUM_WRITE_DOCS=1 pytest tests/policy/test_policy_doc.py` (both).
"""

import os

import pytest

from tests.scenarios.table import SCENARIOS, shadow_table
from triage.decisions.default import DEFAULT_RULES
from triage.decisions.describe import (
    BEGIN,
    END,
    doc_block,
    doc_block_replace,
    policy_doc_path,
    rules_markdown,
)
from triage.decisions.engine import rules_validate

SHADOW_BEGIN = "<!-- policy-shadow:begin (generated from tests/scenarios/table.py) -->"
SHADOW_END = "<!-- policy-shadow:end -->"


@pytest.fixture(scope="module")
def doc() -> str:
    path = policy_doc_path()
    text = path.read_text()
    if os.environ.get("MORATORIUM_WRITE_DOCS") == "1":
        text = doc_block_replace(text, begin=BEGIN, end=END, body=rules_markdown(DEFAULT_RULES))
        text = doc_block_replace(text, begin=SHADOW_BEGIN, end=SHADOW_END, body=shadow_table())
        path.write_text(text)
    return text


def test_the_docs_describe_the_shipped_rules_as_generated_from_them(doc):
    assert rules_validate(DEFAULT_RULES) == {}
    assert doc_block(doc, begin=BEGIN, end=END) == rules_markdown(DEFAULT_RULES)


def test_every_rule_is_in_the_description_with_its_additive_mark():
    text = rules_markdown(DEFAULT_RULES)
    friction, also = text.split("**Also**")
    for rule in DEFAULT_RULES["rules"]:
        assert f"**`{rule['name']}`**" in (also if rule.get("also") else friction)


def test_the_shadow_table_in_the_docs_is_the_scenario_table(doc):
    assert doc_block(doc, begin=SHADOW_BEGIN, end=SHADOW_END) == shadow_table()
    assert len(SCENARIOS) >= 25


def test_the_command_prints_the_description(capsys):
    from django.core.management import call_command

    call_command("policy_describe")

    assert capsys.readouterr().out.strip() == rules_markdown(DEFAULT_RULES).strip()
