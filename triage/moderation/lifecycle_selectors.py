"""Reads for the case page's lifecycle: the missed deadline, the hold's real end, the final outcome,
what is new since the last human decision, and the moderators' notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from elections.models import AuthorizedLikeness
from triage.decisions.holds import LAPSE_RULE
from triage.decisions.inputs import public_figures_match
from triage.decisions.lifecycle import hold_span
from triage.decisions.models import Decision
from triage.models import Case, Submission, SubmissionMedia

from .metrics import case_metrics
from .models import DeadlineEscalation, DecisionNote
from .reopen import case_news_since_decision


@dataclass
class Lifecycle:
    escalation: DeadlineEscalation | None
    hold_started: datetime | None
    hold_ends: datetime | None
    outcome: dict[str, Any] | None  # the final action ({"type": "remove", "ground": …}) if any
    consents: list = field(default_factory=list)
    rule_descriptions: list[tuple[str, str]] = field(default_factory=list)
    metrics: object = None
    news: list = field(default_factory=list)
    notes: list[DecisionNote] = field(default_factory=list)
    platform_notes: list[str] = field(default_factory=list)  # current.notes, rules described


def _final_action(decision: Decision | None) -> dict[str, Any] | None:
    if decision is None or decision.decided_by != "moderator":
        return None
    for action in decision.actions:
        if action.get("type") == "remove":
            return action
    return None


def case_lifecycle(*, case: Case, current: Decision | None) -> Lifecycle:

    span = hold_span(decision=current) if current is not None else None
    escalation = DeadlineEscalation.objects.filter(decision=current).first() if current is not None else None
    notes = list(
        DecisionNote.objects.filter(decision__case=case)
        .select_related("author", "decision")
        .order_by("-created_at")
    )

    return Lifecycle(
        consents=case_consents(case=case),
        rule_descriptions=rule_descriptions(decision=current),
        metrics=case_metrics(case=case),
        escalation=escalation,
        hold_started=span[0] if span else None,
        hold_ends=span[1] if span else None,
        outcome=_final_action(current),
        news=case_news_since_decision(case=case),
        notes=notes,
        platform_notes=platform_notes_described(decision=current),
    )


def case_consents(*, case: Case) -> list:
    """The consent records (authorized likenesses) of the registered people the reports name."""

    submissions = Submission.objects.filter(
        pk__in=SubmissionMedia.objects.filter(case=case).values("submission_id")
    ).values_list("subjects", "text")
    subjects = [s for subs, _ in submissions for s in (subs or []) if isinstance(s, str)]
    people = public_figures_match(
        countries=case.audience_countries, subjects=subjects, texts=[t for _, t in submissions if t]
    )
    today = timezone.now().date()
    records = list(
        AuthorizedLikeness.objects.filter(person__in=people).select_related("person").order_by("person__name")
    )
    for record in records:
        record.in_force = record.valid_from <= today and (record.valid_to is None or record.valid_to >= today)
    return records


def _rule_texts(decision: Decision) -> dict[str, Any]:
    if not decision.policy_version_id:
        return {}
    return {r.get("name"): r for r in (decision.policy_version.rules or {}).get("rules", [])}


def _rule_text(rules: dict[str, Any], name: str) -> str:
    if name == LAPSE_RULE:
        return "The hold reached its longest life with no human decision."
    return (rules.get(name) or {}).get("description") or name.replace("_", " ")


def rule_descriptions(*, decision: Decision | None) -> list[tuple[str, str]]:
    """Each matched rule's name with its description from the version that decided (or the name)."""
    if decision is None or not decision.matched_rules:
        return []
    rules = _rule_texts(decision)
    return [(name, _rule_text(rules, name)) for name in decision.matched_rules]


ALSO_APPLIED = "also applied: "


def platform_notes_described(*, decision: Decision | None) -> list[str]:
    """The decision's notes to platforms as moderators read them: rule names as their descriptions.

    Platforms get the notes as they are ("also applied: escalate_voter_suppression_likely");
    the case page says what those rules are.
    """
    if decision is None:
        return []
    rules: dict[str, Any] | None = None
    described = []
    for note in decision.notes:
        if note.startswith(ALSO_APPLIED):
            rules = _rule_texts(decision) if rules is None else rules
            names = [n.strip() for n in note[len(ALSO_APPLIED) :].split(",") if n.strip()]
            note = "also applied: " + "; ".join(_rule_text(rules, name) for name in names)
        described.append(note)
    return described
