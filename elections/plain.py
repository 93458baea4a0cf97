"""A silence rule in plain words, with its numbers: for people, not for the window arithmetic.

`rule_in_words(rule, election)` says what the rule gives for that election, the way an
operations lead would brief it: "from 00:00 Thursday local time — 48 hours before election day —
until polls close at 22:00". Without an election it says it generically ("the day before").
`rule_short(rule)` is the one-line form for lists ("E−2 00:00 → polls close"). Nothing here
computes windows: windows.py does, and the words follow the same fields.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

SCOPE_WORDS = {
    "full": "Campaigning and campaign content banned",
    "advertising": "Election advertising banned",
    "broadcast": "Broadcast election advertising banned",
}
ONLINE_WORDS = {
    "yes": "covers online media",
    "partial": "covers online media in part",
    "no": "does not cover online media",
    "uncertain": "whether it covers online media is uncertain",
}


def _clock(value: Any) -> str:
    return value.strftime("%H:%M") if value is not None else "00:00"


def _hours(n: int) -> str:
    return f"{n} hour" + ("" if n == 1 else "s")


def _days(n: int) -> str:
    return {0: "on election day", 1: "the day before election day"}.get(n, f"{n} days before election day")


def _weekday(day: date) -> str:
    return day.strftime("%A")


def _first_day(election: Any) -> date | None:
    if election is None or not election.voting_days:
        return None
    value = election.voting_days[0]
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _start_words(rule: Any, election: Any) -> str:
    day = _first_day(election)
    if rule.start_mode == "days_before_at_time":
        days, at = rule.start_days or 0, rule.start_time
        minutes = (at.hour * 60 + at.minute) if at else 0
        lead = days * 24 * 60 - minutes  # minutes before election day starts
        if day is None:
            when = f"from {_clock(at)} {_days(days)}"
        else:
            when = f"from {_clock(at)} {_weekday(day - timedelta(days=days))} local time"
        if lead > 0 and lead % 60 == 0:
            return f"{when} — {_hours(lead // 60)} before election day —"
        if lead > 0:
            return f"{when} — {lead // 60} h {lead % 60:02d} min before election day —"
        return f"{when} — {_days(0)} —" if day is not None else when
    hours = rule.start_hours or 0
    anchor = "open" if rule.start_mode == "hours_before_polls_open" else "close"
    if election is None or day is None:
        return f"from {_hours(hours)} before polls {anchor}"
    polls = election.polls_open if anchor == "open" else election.polls_close
    last = date.fromisoformat(str(election.voting_days[-1])) if anchor == "close" else day
    start = datetime.combine(last, polls) - timedelta(hours=hours)
    return (
        f"from {start:%H:%M} {_weekday(start.date())} local time — "
        f"{_hours(hours)} before polls {anchor} at {_clock(polls)} —"
    )


def _end_words(rule: Any, election: Any) -> str:
    multi_day = election is not None and len(election.voting_days) > 1
    if rule.end_mode == "polls_close":
        if election is None:
            return "until polls close"
        on = f" on {_weekday(date.fromisoformat(str(election.voting_days[-1])))}" if multi_day else ""
        return f"until polls close at {_clock(election.polls_close)}{on}"
    at, offset = _clock(rule.end_time), rule.end_day_offset or 0
    if rule.end_mode == "local_time":
        if offset == 1 and at == "00:00":
            return "until midnight at the end of election day"
        day = "election day" if offset == 0 else f"{offset} day(s) after election day"
        return f"until {at} local time on {day}"
    return f"until {at} {rule.end_time_zone} time on the last voting day, everywhere at once"


def rule_in_words(rule: Any, election: Any = None) -> str:
    """The rule (or the window it gives `election`) in one plain sentence with its numbers."""
    if rule is None:
        return "No silence period."
    return f"{_start_words(rule, election)} {_end_words(rule, election)}"


def rule_scope_words(rule: Any) -> str:
    if rule is None:
        return ""
    return f"{SCOPE_WORDS.get(rule.scope, rule.scope)}; {ONLINE_WORDS.get(rule.covers_online, '')}."


def rule_short(rule: Any) -> str:
    """One line for lists: "E−1 00:00 → polls close", "48 h before polls open → 21:00"."""
    if rule is None:
        return "none"
    if rule.start_mode == "days_before_at_time":
        start = (
            f"E−{rule.start_days} {_clock(rule.start_time)}"
            if rule.start_days
            else f"E {_clock(rule.start_time)}"
        )
    else:
        anchor = "open" if rule.start_mode == "hours_before_polls_open" else "close"
        start = f"{rule.start_hours} h before polls {anchor}"
    if rule.end_mode == "polls_close":
        end = "polls close"
    elif rule.end_mode == "local_time":
        end = (
            "24:00"
            if (rule.end_day_offset == 1 and _clock(rule.end_time) == "00:00")
            else _clock(rule.end_time)
        )
    else:
        end = f"{_clock(rule.end_time)} {rule.end_time_zone}"
    scope = {"advertising": " [ads]", "broadcast": " [broadcast]"}.get(rule.scope, "")
    return f"{start} → {end}{scope}" + (" ⚠" if rule.uncertain else "")
