"""Reads for the case page's lifecycle: the missed deadline, the hold's real end, the final outcome,
what is new since the last human decision, and the moderators' notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from triage.models import Case
from triage.policy.models import Decision

from .models import DeadlineEscalation, DecisionNote
from .reopen import case_news_since_decision


@dataclass
class Lifecycle:
    escalation: DeadlineEscalation | None
    hold_started: datetime | None
    hold_ends: datetime | None
    outcome: dict[str, Any] | None  # the final action ({"type": "remove", "ground": …}) if any
    news: list = field(default_factory=list)
    notes: list[DecisionNote] = field(default_factory=list)


def _final_action(decision: Decision | None) -> dict[str, Any] | None:
    if decision is None or decision.decided_by != "moderator":
        return None
    for action in decision.actions:
        if action.get("type") == "remove":
            return action
    return None


def case_lifecycle(*, case: Case, current: Decision | None) -> Lifecycle:
    from triage.policy.lifecycle import hold_span

    span = hold_span(decision=current) if current is not None else None
    escalation = DeadlineEscalation.objects.filter(decision=current).first() if current is not None else None
    notes = list(
        DecisionNote.objects.filter(decision__case=case)
        .select_related("author", "decision")
        .order_by("-created_at")
    )
    return Lifecycle(
        escalation=escalation,
        hold_started=span[0] if span else None,
        hold_ends=span[1] if span else None,
        outcome=_final_action(current),
        news=case_news_since_decision(case=case),
        notes=notes,
    )
