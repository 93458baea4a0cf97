"""How long a removal hold may last, and what happens when it lapses: policy data, read here.

A hold never lasts indefinitely. The rule set's optional top-level `holds` object sets its
longest life and what the platform is told when it lapses with no human decision:

    "holds": {"post_silence_review_minutes": 120,   # after the silence window ends
              "max_hours": 72,                      # the cap, from the hold's start
              "on_lapse": "release_with_label",     # or "keep"
              "keep_review_minutes": 240}           # with "keep": the new review deadline

A hold placed in (or because of) a silence window ends at the window's end plus
`post_silence_review_minutes`, capped at `max_hours` after it began; any other hold ends
`max_hours` after it began. Pure functions: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils.dateparse import parse_datetime

ON_LAPSE = ("release_with_label", "keep")
DEFAULTS: dict[str, Any] = {
    "post_silence_review_minutes": 120,
    "max_hours": 72,
    "on_lapse": "release_with_label",
    "keep_review_minutes": 240,
}
MAX_HOURS = 24 * 30
# The matched rule a lapse decision records: a hold kept on lapse starts a new life from there.
LAPSE_RULE = "hold_lapsed"


@dataclass(frozen=True)
class HoldPolicy:
    post_silence_review_minutes: int
    max_hours: int
    on_lapse: str
    keep_review_minutes: int


def hold_policy(rules: Mapping[str, Any] | None) -> HoldPolicy:
    """Return the rule set's hold settings, with the defaults for whatever it leaves out."""
    given = (rules or {}).get("holds") or {}
    merged = {**DEFAULTS, **{k: v for k, v in given.items() if k in DEFAULTS}}
    return HoldPolicy(**merged)


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def holds_validate(holds: Any) -> dict[str, list[str]]:
    """Field-keyed errors for the `holds` object ({} when valid or absent)."""
    if holds is None:
        return {}
    if not isinstance(holds, Mapping):
        return {"holds": ['holds is an object, e.g. {"max_hours": 72}.']}
    errors: dict[str, list[str]] = {}
    extra = sorted(set(holds) - set(DEFAULTS))
    if extra:
        errors["holds"] = [f"Unexpected keys: {', '.join(extra)}."]
    if "max_hours" in holds and not _whole(holds["max_hours"], 1, MAX_HOURS):
        errors["holds.max_hours"] = [f"Whole hours, 1 to {MAX_HOURS}."]
    for key in ("post_silence_review_minutes", "keep_review_minutes"):
        if key in holds and not _whole(holds[key], 1, MAX_HOURS * 60):
            errors[f"holds.{key}"] = [f"Whole minutes, 1 to {MAX_HOURS * 60}."]
    if "on_lapse" in holds and holds["on_lapse"] not in ON_LAPSE:
        errors["holds.on_lapse"] = [f"One of: {', '.join(ON_LAPSE)}."]
    return errors


def _window_end(phase_reason: Mapping[str, Any] | None) -> datetime | None:
    raw = (phase_reason or {}).get("window_end")
    if isinstance(raw, datetime):
        return raw
    if isinstance(raw, str):
        try:
            return parse_datetime(raw)
        except ValueError:
            return None
    return None


def hold_end(*, started_at: datetime, window_end: datetime | None, policy: HoldPolicy) -> datetime:
    """The instant a hold that began at `started_at` lapses (see the module docstring)."""
    cap = started_at + timedelta(hours=policy.max_hours)
    if window_end is None or window_end <= started_at:
        return cap  # no window, or one that had ended before the hold began: only the cap applies
    return min(window_end + timedelta(minutes=policy.post_silence_review_minutes), cap)
