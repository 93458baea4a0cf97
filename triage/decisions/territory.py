"""Silence scope and territory: which of the audience's silences cover online media, and where a hold applies.

The calendar records each silence rule's scope (campaign silence, advertising only, broadcast
only) and whether the law covers online media (Italy and Australia: no). The default policy holds
only where the silence covers online media and labels elsewhere; a hold placed because of a
silence names the countries it applies to (`removal_hold.countries`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from elections.models import OnlineCoverage, SilenceWindow
from elections.selectors import silence_windows_for_audience
from triage.models import Case

COVERAGE_WORDS = {
    OnlineCoverage.YES: "covers online media",
    OnlineCoverage.PARTIAL: "partly covers online media",
    OnlineCoverage.NO: "does not cover online media",
    OnlineCoverage.UNCERTAIN: "may cover online media (sources conflict)",
}


@dataclass(frozen=True)
class Territory:
    window: SilenceWindow | None  # the window the decision is about (covering online media first)
    hold_countries: list[str] = field(default_factory=list)  # silent countries whose law covers online
    offline_only_countries: list[str] = field(default_factory=list)  # silent, law not covering online

    @property
    def scope(self) -> str:
        return self.window.scope if self.window else ""

    @property
    def covers_online(self) -> str:
        return self.window.covers_online if self.window else ""

    def note(self) -> str | None:
        """Say in the decision which silences cover online media (and so where a hold applies)."""
        if self.window is None:
            return None
        parts = []
        if self.hold_countries:
            parts.append(
                f"silence in {', '.join(self.hold_countries)} covers online media: a hold applies there"
            )
        if self.offline_only_countries:
            parts.append(
                f"silence in {', '.join(self.offline_only_countries)} does not cover online media: "
                "labelled, not held there"
            )
        return "; ".join(parts) or None


def case_territory(*, case: Case, at: datetime, memo) -> Territory:
    """Every silence in force for the case's audience, split by online coverage."""
    key = (
        "territory",
        tuple(sorted({c.upper() for c in case.audience_countries or []})),
        tuple(sorted({r.upper() for r in case.audience_regions or []})),
        at,
    )
    windows = memo(
        key,
        lambda: silence_windows_for_audience(
            countries=case.audience_countries, regions=case.audience_regions, at=at
        ),
    )
    if not windows:
        return Territory(window=None)
    covering = [w for w in windows if w.covers_online != OnlineCoverage.NO]
    hold = sorted({w.country_id for w in covering})
    offline = sorted({w.country_id for w in windows if w.covers_online == OnlineCoverage.NO} - set(hold))
    return Territory(window=(covering or windows)[0], hold_countries=hold, offline_only_countries=offline)


def phase_reason_with_territory(reason: dict[str, Any], territory: Territory) -> dict[str, Any]:
    """Extend the phase reason (added keys only): the rule's scope, its online coverage, the countries."""
    window = territory.window
    if window is None:
        return reason
    return {
        **reason,
        "country": window.country_id,
        "window_end": window.end.isoformat(),
        "window_id": window.pk,
        "election": window.election.name if window.election_id else reason.get("election"),
        "scope": window.scope,
        "covers_online": window.covers_online,
        "covers_online_text": COVERAGE_WORDS.get(window.covers_online, window.covers_online),
        "hold_countries": territory.hold_countries,
        "offline_only_countries": territory.offline_only_countries,
    }
