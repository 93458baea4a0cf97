"""What the calendar page shows: who is silent now, what opens in the next days, stale dates.

Reads only (a selector module): four queries whatever the calendar's size. Each row carries the
rule in plain words for its election (plain.py) and the instants the page counts down to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max, Min

from .dates import elections_awaiting_confirmation
from .models import Election, SilenceRule, SilenceWindow
from .plain import rule_in_words, rule_scope_words
from .selectors import countries_in_silence


@dataclass
class CalendarRow:
    election: Election
    rule: SilenceRule | None
    start: datetime
    end: datetime
    words: str = ""
    scope_words: str = ""
    zones: int = 1


@dataclass
class CalendarAhead:
    at: datetime
    days: int
    silent_now: list[CalendarRow] = field(default_factory=list)
    windows_ahead: list[CalendarRow] = field(default_factory=list)
    periods: list[CalendarRow] = field(default_factory=list)
    awaiting_confirmation: list[Election] = field(default_factory=list)


def _rule(election: Election) -> SilenceRule | None:
    try:
        return election.country.silence_rule
    except SilenceRule.DoesNotExist:
        return None


def _row(election: Election, start: datetime, end: datetime, zones: int = 1) -> CalendarRow:
    rule = _rule(election)
    return CalendarRow(
        election=election,
        rule=rule,
        start=start,
        end=end,
        words=rule_in_words(rule, election) if rule else "No silence period.",
        scope_words=rule_scope_words(rule),
        zones=zones,
    )


def calendar_ahead(*, at: datetime, days: int = 30) -> CalendarAhead:
    """Countries silent at `at`; silence windows and election periods starting within `days`."""
    horizon = at + timedelta(days=days)
    result = CalendarAhead(at=at, days=days)
    for window in countries_in_silence(at=at):
        election = window.election
        result.silent_now.append(_row(election, window.start, window.end))
    # One row per election: its earliest zone's start to its latest zone's end.
    spans = (
        SilenceWindow.objects.filter(start__gt=at, start__lte=horizon)
        .values("election_id")
        .annotate(first=Min("start"), last=Max("end"))
        .order_by("first")
    )
    spans = list(spans)
    elections = Election.objects.select_related("country", "country__silence_rule").in_bulk(
        [span["election_id"] for span in spans]
    )
    for span in spans:
        result.windows_ahead.append(_row(elections[span["election_id"]], span["first"], span["last"]))
    period = timedelta(days=settings.ELECTION_PERIOD_DAYS)
    for election in (
        Election.objects.select_related("country", "country__silence_rule")
        .filter(first_day_start__lte=horizon + period, period_end__gt=at)
        .order_by("first_day_start", "country_id")
    ):
        result.periods.append(_row(election, election.first_day_start - period, election.period_end))
    result.awaiting_confirmation = elections_awaiting_confirmation(at=at)
    return result
