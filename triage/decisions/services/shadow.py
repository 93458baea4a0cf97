"""Shadow runs: a (draft) version run over recent cases, compared with their decisions; no writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from triage.models import Case

from ..inputs import case_policy_inputs
from ..models import PolicyVersion
from .deciding import _decision_signature, outcome_for
from .versions import _raise_if_invalid


@dataclass
class ShadowChange:
    case_id: int
    current: list[str]  # "type" or "type:kind" of the current decision's actions
    proposed: list[str]
    current_rules: list[str]
    proposed_rules: list[str]


@dataclass
class ShadowReport:
    policy_version: int
    days: int
    cases_evaluated: int
    unchanged: int
    changes: list[ShadowChange]

    @property
    def changed(self) -> int:
        return len(self.changes)


def _brief(actions: list[dict[str, Any]]) -> list[str]:
    return [f"{a['type']}:{a['kind']}" if a.get("kind") else a["type"] for a in actions]


def policy_shadow_run(*, policy_version_id: int, days: int = 7) -> ShadowReport:
    """Run a (draft) version over the cases of the last `days` days; write nothing.

    Each live case with media is evaluated now with the version's rules and compared with its
    current decision (or "nothing" if it has none).
    """
    version = PolicyVersion.objects.get(pk=policy_version_id)
    _raise_if_invalid(version.rules)
    now = timezone.now()
    cases = (
        Case.objects.filter(
            created_at__gte=now - timedelta(days=days), merged_into__isnull=True, media_item__isnull=False
        )
        .select_related("media_item")
        .order_by("pk")
    )
    changes: list[ShadowChange] = []
    evaluated = 0
    for case in cases.iterator(chunk_size=500):
        evaluated += 1
        current = case.decisions.filter(is_current=True).first()
        inputs = case_policy_inputs(case=case, at=now, trigger="shadow")
        outcome = outcome_for(rules=version.rules, inputs=inputs, at=now)
        if current is not None and _decision_signature(current) == outcome.signature():
            continue
        changes.append(
            ShadowChange(
                case_id=case.pk,
                current=_brief(current.actions) if current else [],
                proposed=_brief(outcome.actions),
                current_rules=list(current.matched_rules) if current else [],
                proposed_rules=outcome.matched_rules,
            )
        )
    return ShadowReport(
        policy_version=version.version,
        days=days,
        cases_evaluated=evaluated,
        unchanged=evaluated - len(changes),
        changes=changes,
    )
