"""Silence-window arithmetic: local wall-clock rules in, UTC instants out. No database access.

Every function takes plain values or duck-typed objects with the fields of SilenceRule,
Election and ElectionPhase, so the same code serves the services, the admin, the data
migration (historical models) and the tests.

Decisions, documented in docs/elections.md:

- polls_open is the opening time on the first voting day and polls_close the closing time on
  the last voting day (Czech Republic: Fri 14:00 to Sat 14:00). polls_close_next_day moves the
  close past midnight.
- Polls times are wall-clock times in each window's zone, unless the election sets
  polls_time_zone (Brazil votes 08:00-17:00 Brasilia time everywhere): then the polls instants
  come from that zone, while day-based starts ("from midnight the day before") stay local.
- Ambiguous or non-existent local times (a DST fold or gap) resolve to the reading that makes
  the window longer: a start takes the earlier instant, an end the later one. Silence is the
  cautious side for a trust-and-safety system, and the rule is deterministic.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from .validation import parse_days

Edge = Literal["start", "end"]


class WindowComputationError(ValueError):
    """A rule and an election that together give no usable window (its end is not after its start)."""


@dataclass(frozen=True)
class WindowSpec:
    """One window to materialize: per phase (None for an unphased election) and per time zone."""

    phase_number: int | None
    time_zone: str
    regions: tuple[str, ...]
    start_utc: datetime
    end_utc: datetime

    @property
    def key(self) -> tuple[int | None, str]:
        return (self.phase_number, self.time_zone)


def resolve_local(naive: datetime, zone: str | ZoneInfo, *, edge: Edge) -> datetime:
    """Return the UTC instant of a local wall-clock time, choosing in a DST fold or gap.

    In a fold (the hour that happens twice) and in a gap (the hour that never happens) the two
    PEP 495 readings differ; a window start takes the earlier one and a window end the later
    one, so the window never shrinks because of a clock change.
    """
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    second = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    return min(first, second) if edge == "start" else max(first, second)


def local_instant(day: date, clock: time, zone: str | ZoneInfo, *, edge: Edge) -> datetime:
    """Return the UTC instant of `clock` on `day` in `zone` (see resolve_local for DST)."""
    return resolve_local(datetime.combine(day, clock), zone, edge=edge)


def polls_instants(
    *,
    voting_days: Sequence[date],
    zone: str,
    polls_open: time,
    polls_close: time,
    polls_close_next_day: bool = False,
    polls_time_zone: str = "",
) -> tuple[datetime, datetime]:
    """Return (polls open on the first day, polls close on the last day) in UTC for one zone."""
    polls_zone = polls_time_zone or zone
    opens = local_instant(voting_days[0], polls_open, polls_zone, edge="start")
    close_day = voting_days[-1] + timedelta(days=1 if polls_close_next_day else 0)
    closes = local_instant(close_day, polls_close, polls_zone, edge="end")
    return opens, closes


def window_bounds(
    *,
    rule: Any,
    voting_days: Sequence[date],
    zone: str,
    polls_open: time,
    polls_close: time,
    polls_close_next_day: bool = False,
    polls_time_zone: str = "",
) -> tuple[datetime, datetime]:
    """Return the (start, end) UTC instants of the silence `rule` gives for these days in `zone`."""
    days = sorted(voting_days)
    first_day, last_day = days[0], days[-1]
    polls_zone = polls_time_zone or zone
    opens, closes = polls_instants(
        voting_days=days,
        zone=zone,
        polls_open=polls_open,
        polls_close=polls_close,
        polls_close_next_day=polls_close_next_day,
        polls_time_zone=polls_time_zone,
    )

    if rule.start_mode in ("hours_before_polls_open", "hours_before_polls_close"):
        hours = timedelta(hours=rule.start_hours)
        if rule.start_mode == "hours_before_polls_open":
            anchor, anchor_local = opens, datetime.combine(first_day, polls_open)
        else:
            close_day = last_day + timedelta(days=1 if polls_close_next_day else 0)
            anchor, anchor_local = closes, datetime.combine(close_day, polls_close)
        if rule.start_clock == "wall_clock":
            # The same wall-clock time N hours earlier on the polls' clock: 47 or 49 UTC hours
            # when a DST switch falls inside the window.
            start = resolve_local(anchor_local - hours, polls_zone, edge="start")
        else:
            start = anchor - hours
    elif rule.start_mode == "days_before_at_time":
        start = local_instant(
            first_day - timedelta(days=rule.start_days), rule.start_time, zone, edge="start"
        )
    else:
        raise WindowComputationError(f"unknown start mode {rule.start_mode!r}")

    if rule.end_mode == "polls_close":
        end = closes
    elif rule.end_mode == "local_time":
        end = local_instant(
            last_day + timedelta(days=rule.end_day_offset or 0), rule.end_time, zone, edge="end"
        )
    elif rule.end_mode == "national_instant":
        end = local_instant(
            last_day + timedelta(days=rule.end_day_offset or 0), rule.end_time, rule.end_time_zone, edge="end"
        )
    else:
        raise WindowComputationError(f"unknown end mode {rule.end_mode!r}")

    if end <= start:
        raise WindowComputationError(
            f"the silence in {zone} would end ({end:%Y-%m-%d %H:%M} UTC) before it starts "
            f"({start:%Y-%m-%d %H:%M} UTC)"
        )
    return start, end


def election_zones(*, election: Any, country_zones: Sequence[str]) -> list[str]:
    """Return the zones an election's windows are computed for: its own list, else the country's."""
    return list(election.time_zones or country_zones)


def election_window_specs(
    *, rule: Any, election: Any, country_zones: Sequence[str], phases: Iterable[Any] = ()
) -> list[WindowSpec]:
    """Return every window `rule` gives `election`: per phase (if phased) and per time zone.

    A phased election (India) gets windows per phase only, each keyed to the phase's own days
    and limited to its regions; an unphased one gets one window per zone, limited to the
    election's region when it has one.
    """
    if rule is None:
        return []
    zones = election_zones(election=election, country_zones=country_zones)
    phases = sorted(phases, key=lambda phase: phase.number)
    if phases:
        parts = [
            (phase.number, parse_days(phase.voting_days), tuple(phase.regions or ())) for phase in phases
        ]
    else:
        regions = (election.region,) if election.region else ()
        parts = [(None, parse_days(election.voting_days), regions)]
    specs = []
    for number, days, regions in parts:
        for zone in zones:
            start, end = window_bounds(
                rule=rule,
                voting_days=days,
                zone=zone,
                polls_open=election.polls_open,
                polls_close=election.polls_close,
                polls_close_next_day=getattr(election, "polls_close_next_day", False),
                polls_time_zone=election.polls_time_zone,
            )
            specs.append(WindowSpec(number, zone, regions, start, end))
    return specs


def election_span(*, election: Any, country_zones: Sequence[str]) -> tuple[datetime, datetime]:
    """Return (local midnight starting the first voting day, end of voting) in UTC.

    The start is the earliest zone's midnight and the end the latest of the zones' midnights
    ending the last voting day and the polls' close, so a span covers the whole country.
    """
    zones = election_zones(election=election, country_zones=country_zones) or ["UTC"]
    days = sorted(parse_days(election.voting_days))
    starts, ends = [], []
    for zone in zones:
        starts.append(local_instant(days[0], time(0), zone, edge="start"))
        ends.append(local_instant(days[-1] + timedelta(days=1), time(0), zone, edge="end"))
        ends.append(
            polls_instants(
                voting_days=days,
                zone=zone,
                polls_open=election.polls_open,
                polls_close=election.polls_close,
                polls_close_next_day=getattr(election, "polls_close_next_day", False),
                polls_time_zone=election.polls_time_zone,
            )[1]
        )
    return min(starts), max(ends)


def to_local(instant: datetime, zone: str) -> datetime:
    """Return a UTC instant as wall-clock time in `zone` (for display)."""
    return instant.astimezone(ZoneInfo(zone))


DERIVED_ELECTION_FIELDS = (
    "voting_days",
    "first_voting_day",
    "last_voting_day",
    "first_day_start",
    "period_end",
)


def election_derived_fields(*, election: Any, country_zones: Sequence[str]) -> dict[str, Any]:
    """Return the stored fields derived from an election's days and hours.

    period_end here is voting's end; election_windows_recompute raises it to the latest window end.
    """
    days = sorted(parse_days(election.voting_days))
    first_day_start, voting_end = election_span(election=election, country_zones=country_zones)
    return {
        "voting_days": [day.isoformat() for day in days],
        "first_voting_day": days[0],
        "last_voting_day": days[-1],
        "first_day_start": first_day_start,
        "period_end": voting_end,
    }
