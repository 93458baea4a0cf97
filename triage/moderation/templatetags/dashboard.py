"""Small template helpers for the dashboard's screens."""

from __future__ import annotations

import json

from django import template
from django.utils.dateparse import parse_datetime

from triage.decisions.labels.kinds import LabelKind
from triage.decisions.models import ActionType

register = template.Library()

_ACTION_NAMES = dict(ActionType.choices)
_LABEL_NAMES = dict(LabelKind.choices)


@register.filter
def action_summary(actions) -> str:
    """Return a decision's actions in a few words, e.g. "Removal hold · Label: Likely AI-generated"."""
    parts = []
    for action in actions or []:
        kind = action.get("type", "")
        name = _ACTION_NAMES.get(kind, kind)
        if kind == "label" and action.get("kind"):
            name = f"Label: {_LABEL_NAMES.get(action['kind'], action['kind'])}"
        elif kind == "escalate" and action.get("reason"):
            name = f"Escalate ({str(action['reason']).replace('_', ' ')})"
        parts.append(name)
    return " · ".join(parts) or "—"


@register.filter
def action_name(kind: str) -> str:
    return _ACTION_NAMES.get(kind, kind)


@register.filter
def label_name(kind: str) -> str:
    return _LABEL_NAMES.get(kind, kind)


@register.filter
def is_fallback_note(note: str) -> bool:
    """Whether a decision note says the label fell back to English (moderators see it flagged)."""
    return str(note).startswith("label shown in English")


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key) if hasattr(mapping, "get") else None


@register.filter
def humanize_key(value: str) -> str:
    return str(value).replace("_", " ")


@register.filter
def parse_iso(value):
    """Turn an ISO 8601 string from a JSON field into a datetime (or pass it through)."""

    if isinstance(value, str):
        try:
            return parse_datetime(value) or value
        except ValueError:
            return value
    return value


@register.filter
def compact_json(value) -> str:
    """Return a JSON value on one line, for the audit trail's details column."""

    if not value:
        return ""
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)
