"""Reads of the election calendar. Each selector is one indexed query: they sit on the triage hot path.

Region semantics (a trust-and-safety choice; see docs/elections.md):

- A window with regions (an Indian phase, a regional election) applies only to those regions;
  a window without regions applies to the whole country.
- With a region, a query matches the whole-country windows and the windows listing that region.
- With region=None (or "") the audience's region is unknown, so a query matches ANY window of the
  country: if one Indian state is silent, a country-wide question answers "silent". Callers
  that know the audience's regions pass them and get the precise answer.
- A country spanning several zones has one window per zone, each for the whole country (the
  calendar does not map zones to regions), so the country is silent from the first zone's start
  to the last zone's end: the cautious reading.

Windows are half-open: a window is in force from `start` (inclusive) to `end` (exclusive).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from django.conf import settings
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from .models import Election, SilenceScope, SilenceWindow

Phase = Literal["normal", "election_period", "silence"]


def _region_q(region: str | None) -> Q:
    if not region:  # None or "": the audience's region is unknown
        return Q()
    return Q(regions_key="") | Q(regions_key__contains=f",{region.upper()},")


def _strictest_first(queryset: QuerySet[SilenceWindow]) -> QuerySet[SilenceWindow]:
    """Order windows strictest first: full silence before ad-only blackouts, then the one ending last."""
    scope_rank = Case(
        When(scope=SilenceScope.FULL, then=Value(0)),
        When(scope=SilenceScope.ADVERTISING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return queryset.order_by(scope_rank, "-end", "pk")


def _windows() -> QuerySet[SilenceWindow]:
    return SilenceWindow.objects.select_related("election", "phase", "country")


def silence_window_active(*, country: str, region: str | None = None, at: datetime) -> SilenceWindow | None:
    """Return the window in force for `country` (and `region`) at `at` (the strictest of several), or None."""
    queryset = _windows().filter(_region_q(region), country_id=country.upper(), start__lte=at, end__gt=at)
    return _strictest_first(queryset).first()


def silence_window_next(*, country: str, region: str | None = None, after: datetime) -> SilenceWindow | None:
    """Return the next window to start strictly after `after` (a window starting at `after` is active)."""
    queryset = _windows().filter(_region_q(region), country_id=country.upper(), start__gt=after)
    return queryset.order_by("start", "pk").first()


def _period_q(at: datetime) -> Q:
    # Period: from local midnight ELECTION_PERIOD_DAYS days before the first voting day (in the
    # country's earliest zone) until the later of voting's end and the last silence window's end.
    days = timedelta(days=settings.ELECTION_PERIOD_DAYS)
    return Q(first_day_start__lte=at + days, period_end__gt=at)


def _election_region_q(region: str | None) -> Q:
    if not region:
        return Q()
    return Q(region="") | Q(region=region.upper())


def election_period_active(*, country: str, region: str | None = None, at: datetime) -> Election | None:
    """Return the election whose period is in force for `country` (and `region`) at `at`, else None.

    The period runs from local midnight settings.ELECTION_PERIOD_DAYS days before the first
    voting day until the end of voting (midnight ending the last voting day, local) or the end
    of the last silence window, whichever is later. With several, the one voting soonest.
    """
    queryset = Election.objects.select_related("country").filter(
        _period_q(at), _election_region_q(region), country_id=country.upper()
    )
    return queryset.order_by("first_voting_day", "pk").first()


def countries_in_silence(*, at: datetime) -> list[SilenceWindow]:
    """Return one window per country in silence at `at` (the one ending last), ordered by country."""
    queryset = _windows().filter(start__lte=at, end__gt=at).order_by("country_id", "-end", "pk")
    if connection.features.can_distinct_on_fields:
        return list(queryset.distinct("country_id"))
    # SQLite (the embedded first-look mode) has no DISTINCT ON: keep the first row per country.
    seen: dict[str, SilenceWindow] = {}
    for window in queryset:
        seen.setdefault(window.country_id, window)
    return list(seen.values())


@dataclass(frozen=True)
class PhaseResult:
    """Where the calendar stands for an audience: the strictest phase and what put it there."""

    phase: Phase
    country: str | None = None
    window: SilenceWindow | None = None
    election: Election | None = None


def _audience_q(countries: list[str], regions: list[str] | None, region_field: str) -> Q:
    """Match each country with its audience regions (those prefixed "XX-"), or all of it if none."""
    combined = Q(pk__in=[])
    for code in {c.upper() for c in countries}:
        own = sorted({r.upper() for r in regions or [] if r.upper().startswith(f"{code}-")})
        if not own:
            combined |= Q(country_id=code)
        elif region_field == "regions_key":
            matches = Q(regions_key="")
            for region in own:
                matches |= Q(regions_key__contains=f",{region},")
            combined |= Q(country_id=code) & matches
        else:
            combined |= Q(country_id=code) & Q(region__in=["", *own])
    return combined


def calendar_phase(*, countries: list[str], regions: list[str] | None = None, at: datetime) -> PhaseResult:
    """Return the strictest calendar phase for an audience in `countries` (and `regions`) at `at`.

    "silence" (a window in force: full silence beats advertising-only blackouts) wins over
    "election_period", which wins over "normal". Regions are ISO 3166-2 codes; a country with
    none of its regions listed counts as a whole (any window of it applies). At most two queries.
    """
    if not countries:
        return PhaseResult(phase="normal")
    window = _strictest_first(
        _windows().filter(_audience_q(countries, regions, "regions_key"), start__lte=at, end__gt=at)
    ).first()
    if window is not None:
        return PhaseResult(
            phase="silence", country=window.country_id, window=window, election=window.election
        )
    election = (
        Election.objects.select_related("country")
        .filter(_audience_q(countries, regions, "region"), _period_q(at))
        .order_by("first_voting_day", "pk")
        .first()
    )
    if election is not None:
        return PhaseResult(phase="election_period", country=election.country_id, election=election)
    return PhaseResult(phase="normal")


def silence_windows_for_audience(
    *, countries: list[str], regions: list[str] | None = None, at: datetime
) -> list[SilenceWindow]:
    """Every window in force for an audience at `at`, strictest first (one query).

    `calendar_phase` names the strictest; this lists them all, so a decision can say which of the
    audience's countries a silence hold applies to (a Slovak silence and an Italian one at once).
    """
    if not countries:
        return []
    return list(
        _strictest_first(
            _windows().filter(_audience_q(countries, regions, "regions_key"), start__lte=at, end__gt=at)
        )
    )
