"""The audit trail as sentences: one plain line per event (the raw record sits behind a toggle)."""

from __future__ import annotations

from django import template

from .dashboard import action_summary

register = template.Library()

_SENTENCES = {
    "case.decided": "The policy decided: {actions}.",
    "case.decided_by_moderator": "{who} decided: {actions}.",
    "case.policy_decision_confirmed": "{who} confirmed the policy's decision.",
    "case.outcome_decided": "{who} made a final decision: {outcome_word}.",
    "case.review_taken": "{who} took the case for review.",
    "case.review_released": "{who} released the case.",
    "case.review_deadline_missed": (
        "The review deadline passed with no human decision: escalated to the leads, the hold kept."
    ),
    "case.review_deadline_extended": "{who} extended the review deadline: “{reason}”.",
    "case.escalation_closed": "{who} closed the escalation: the review deadline was extended.",
    "case.hold_lapsed": "The hold reached its longest life: {on_lapse}.",
    "case.reopened": "New evidence reopened the case ({reason}).",
    "case.appeal_received": "An appeal arrived from the platform {platform} ({appellant}).",
    "case.appeal_decided": "{who} decided the appeal: {appeal_outcome}.",
    "case.assigned": "{who} changed who the case is assigned to.",
    "case.media_banked": "{who} banked the media in {bank}.",
    "decision.fanned_out": "The decision was queued for the platforms.",
    "delivery.delivered": "A platform received the decision.",
    "delivery.dead": "A platform could not be reached: the delivery is a dead letter.",
    "delivery.retried": "{who} retried a dead letter.",
    "statements.stored": "Statements of reasons were stored.",
    "notification.sent": "The leads were notified ({channel}).",
    "notification.failed": "A notification could not be sent ({channel}).",
}


def _actions(outcome: dict) -> str:

    return action_summary(outcome.get("actions") or []).lower() or "no action"


@register.filter
def audit_sentence(event) -> str:
    """One plain sentence for an audit event; the action's code when no sentence is known."""
    inputs, outcome = event.inputs or {}, event.outcome or {}
    who = event.actor_user.get_username() if event.actor_user_id else event.get_actor_kind_display()
    values = {
        "who": who,
        "actions": _actions(outcome),
        "outcome_word": str(inputs.get("outcome", "")).replace("_", " "),
        "reason": str(inputs.get("reason", "")).replace("_", " "),
        "on_lapse": "released with its label"
        if inputs.get("on_lapse") == "release_with_label"
        else "kept, with a new deadline",
        "platform": inputs.get("platform", ""),
        "appellant": inputs.get("appellant", ""),
        "appeal_outcome": inputs.get("outcome", ""),
        "bank": inputs.get("bank", ""),
        "channel": inputs.get("channel", ""),
    }
    template_text = _SENTENCES.get(event.action)
    if template_text is None:
        return f"{who}: {event.action.replace('.', ' ').replace('_', ' ')}."
    return template_text.format(**values)
