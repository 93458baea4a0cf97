"""iCalendar in and out: the public calendar feeds, and reading elections from an .ics file.

The feeds carry public facts only (elections, their hours and the silence windows the law
derives from them), never Person data. Every election and window event carries
`X-MORATORIUM-*` properties, so a feed can be imported into another Moratorium with
`import_elections`: window events are skipped on import, since windows are always recomputed
from the rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import icalendar

from .models import ClockSemantics, Country, Election, EndMode, SilenceRule, SilenceWindow, StartMode

PRODID = "-//Moratorium//Election calendar//EN"
UID_DOMAIN = "moratorium"

# X-MORATORIUM-TYPE values: how the importer tells an election from a window of our own feeds.
TYPE_ELECTION = "election"
TYPE_WINDOW = "silence-window"


def election_uid(election: Election) -> str:
    return f"election-{election.pk}@{UID_DOMAIN}"


def window_uid(window: SilenceWindow) -> str:
    return f"window-{window.pk}@{UID_DOMAIN}"


def _offset_words(days: int) -> str:
    if days == 0:
        return "on the last voting day"
    if days == 1:
        return "on the day after the last voting day"
    if days == -1:
        return "on the day before the last voting day"
    if days > 0:
        return f"{days} days after the last voting day"
    return f"{-days} days before the last voting day"


def rule_describe(rule: SilenceRule) -> str:
    """Say in words when a rule's silence starts and ends (what an operator checks against the law)."""
    clock = "elapsed time" if rule.start_clock == ClockSemantics.ELAPSED else "same wall-clock time"
    if rule.start_mode == StartMode.HOURS_BEFORE_POLLS_OPEN:
        start = f"{rule.start_hours} hours before polls open ({clock})"
    elif rule.start_mode == StartMode.HOURS_BEFORE_POLLS_CLOSE:
        start = f"{rule.start_hours} hours before polls close on the last voting day ({clock})"
    elif rule.start_mode == StartMode.DAYS_BEFORE_AT_TIME and rule.start_time is not None:
        at = "local midnight" if rule.start_time == dt.time(0, 0) else f"{rule.start_time:%H:%M} local time"
        days = rule.start_days or 0
        start = f"{at}, {days} day{'s' if days != 1 else ''} before the first voting day"
    else:  # a mode added later: say what it is called rather than fail the feed
        start = rule.get_start_mode_display().lower()
    if rule.end_mode == EndMode.POLLS_CLOSE:
        end = "until polls close on the last voting day"
    elif rule.end_mode == EndMode.LOCAL_TIME and rule.end_time is not None:
        end = f"until {rule.end_time:%H:%M} local time {_offset_words(rule.end_day_offset)}"
    elif rule.end_mode == EndMode.NATIONAL_INSTANT and rule.end_time is not None:
        when = _offset_words(rule.end_day_offset)
        end = f"until {rule.end_time:%H:%M} {rule.end_time_zone} everywhere {when}"
    else:
        end = "until " + rule.get_end_mode_display().lower()
    return f"From {start} {end}."


def _local(instant: dt.datetime, zone: str) -> str:
    try:
        return instant.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z (UTC%z)")
    except (KeyError, ValueError):  # a zone name this machine's tzdata no longer knows
        return "unknown local time"


def _election_description(election: Election) -> str:
    lines = [
        f"{election.get_kind_display()} election, {election.get_round_display().lower()}",
        f"Country: {election.country.name} ({election.country_id})",
        "Voting days: " + ", ".join(election.voting_days),
        f"Polls: {election.polls_open:%H:%M}–{election.polls_close:%H:%M}"
        + (" (the next day)" if election.polls_close_next_day else "")
        + " local time"
        + (f" ({election.polls_time_zone})" if election.polls_time_zone else ""),
    ]
    if election.region:
        lines.append(f"Region: {election.region}")
    for phase in election.phases.all():
        regions = f" ({', '.join(phase.regions)})" if phase.regions else ""
        lines.append(f"Phase {phase.number}: {', '.join(phase.voting_days)}{regions}")
    if election.constituencies:
        lines.append("Constituencies: " + ", ".join(map(str, election.constituencies)))
    if getattr(election.country, "silence_rule", None) is None:
        # Calendar clients rarely show the calendar's own description: say it on the event.
        lines.append(f"No election-silence period in {election.country.name}; the election period applies.")
    if election.source_urls:
        lines.append("Sources: " + " ".join(election.source_urls))
    if election.notes:
        lines.append(election.notes)
    return "\n".join(lines)


def _window_description(window: SilenceWindow, rule: SilenceRule | None) -> str:
    election = window.election
    lines = [
        f"Local time ({window.time_zone}): {_local(window.start, window.time_zone)} – "
        f"{_local(window.end, window.time_zone)}",
        f"UTC: {window.start:%Y-%m-%d %H:%M} – {window.end:%Y-%m-%d %H:%M}",
        f"Scope: {window.get_scope_display()}; {window.get_covers_online_display().lower()}",
        f"Election: {election.name} ({election.get_kind_display().lower()}, "
        f"{election.get_round_display().lower()})",
    ]
    if window.phase is not None:
        lines.append(f"Phase: {window.phase.number}")
    if window.regions:
        lines.append("Regions: " + ", ".join(window.regions))
    if rule is not None:
        lines.append("Rule: " + rule_describe(rule))
        if rule.legal_basis:
            lines.append(f"Legal basis: {rule.legal_basis}")
        if rule.uncertain:
            lines.append("Uncertain: the sources for this rule conflict or are unverified.")
        if rule.notes:
            lines.append(f"Notes: {rule.notes}")
        if rule.source_urls:
            lines.append("Rule sources: " + " ".join(rule.source_urls))
    for adjustment in window.adjustments.all():
        lines.append(
            f"Adjusted: end moved from {adjustment.previous_end:%Y-%m-%d %H:%M} to "
            f"{adjustment.new_end:%Y-%m-%d %H:%M} UTC: {adjustment.reason}"
        )
    return "\n".join(lines)


def _election_event(election: Election, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", election_uid(election))
    event.add("dtstamp", stamp)
    event.add("summary", election.name)
    # One all-day event from the first to the last voting day (DTEND is exclusive); the exact
    # days, for non-contiguous voting, are in X-MORATORIUM-VOTING-DAYS and the description.
    event.add("dtstart", election.first_voting_day)
    event.add("dtend", election.last_voting_day + dt.timedelta(days=1))
    event.add("description", _election_description(election))
    event.add("categories", ["election", election.kind])
    event.add("transp", "TRANSPARENT")
    if election.source_urls:
        event.add("url", election.source_urls[0])
    event.add("x-moratorium-type", TYPE_ELECTION)
    event.add("x-moratorium-country", election.country_id)
    event.add("x-moratorium-kind", election.kind)
    event.add("x-moratorium-round", election.round)
    event.add("x-moratorium-voting-days", ";".join(election.voting_days))
    event.add("x-moratorium-polls-open", f"{election.polls_open:%H:%M}")
    next_day = "+1" if election.polls_close_next_day else ""
    event.add("x-moratorium-polls-close", f"{election.polls_close:%H:%M}{next_day}")
    if election.region:
        event.add("x-moratorium-region", election.region)
    return event


def _window_event(window: SilenceWindow, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    name = window.election.name
    if window.phase is not None:
        name = f"{name}, phase {window.phase.number}"
    event.add("uid", window_uid(window))
    event.add("dtstamp", stamp)
    event.add("summary", f"Election silence: {name} ({window.time_zone})")
    event.add("dtstart", window.start.astimezone(dt.UTC))
    event.add("dtend", window.end.astimezone(dt.UTC))
    rule = getattr(window.country, "silence_rule", None)
    event.add("description", _window_description(window, rule))
    event.add("categories", ["election-silence"])
    event.add("x-moratorium-type", TYPE_WINDOW)
    event.add("x-moratorium-country", window.country_id)
    event.add("x-moratorium-election-uid", election_uid(window.election))
    return event


def calendar_build(
    *,
    title: str,
    description: str,
    elections: Iterable[Election],
    windows: Iterable[SilenceWindow],
    stamp: dt.datetime,
) -> bytes:
    """Return an RFC 5545 calendar of the given elections and silence windows."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", title)
    calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", "UTC")
    for election in elections:
        calendar.add_component(_election_event(election, stamp))
    for window in windows:
        calendar.add_component(_window_event(window, stamp))
    return calendar.to_ical()


def calendar_description(country: Country | None) -> str:
    """Say what the feed holds, and plainly when a country has no silence period."""
    if country is None:
        return "Elections and election-silence windows of every country in this Moratorium's calendar."
    rule = getattr(country, "silence_rule", None)
    if rule is None:
        text = (
            f"Elections in {country.name}. {country.name} has no election-silence period in this "
            "calendar: the election period still applies."
        )
        if country.no_silence_note:
            text += f" Why: {country.no_silence_note}"
        if country.no_silence_sources:
            text += " Sources: " + " ".join(country.no_silence_sources)
        return text
    return f"Elections and election-silence windows in {country.name}. Silence rule: {rule_describe(rule)}"


# --- Reading elections from an .ics file -------------------------------------------------

_BEGIN_VEVENT = re.compile(r"^BEGIN:VEVENT\s*$", re.IGNORECASE)


class IcsUnparseable(ValueError):
    """The file is not an iCalendar file this importer can read."""


def _text(event: icalendar.cal.Component, name: str) -> str:
    value = event.get(name)
    if value is None:
        return ""
    if isinstance(value, list):  # a property given twice: the first one counts
        value = value[0]
    return str(value).strip()


def _dt_value(event: icalendar.cal.Component, name: str) -> dt.date | dt.datetime | None:
    """Return a DTSTART/DTEND value, or raise ValueError naming the broken property."""
    prop = event.get(name)
    if prop is None:
        return None
    try:
        value = prop.dt
    except Exception as exc:  # icalendar raises its own error type for a property it could not parse
        raise ValueError(f"{name} is not a date or date-time") from exc
    if not isinstance(value, dt.date):
        raise ValueError(f"{name} is not a date or date-time")
    return value


def election_rows_from_ics(
    text: str, *, max_events: int = 20_000
) -> list[tuple[int | None, dict, dict[str, str]]]:
    """Read one row per election VEVENT: (line, raw fields, errors found reading the event).

    Raw fields use the CSV column names, so the same validation applies to both formats. See
    docs/calendar-io.md for the mapping. Events our own feeds mark as silence windows are skipped.
    """
    starts = [number for number, line in enumerate(text.splitlines(), 1) if _BEGIN_VEVENT.match(line)]
    # Counted before parsing: the parser takes seconds per hundred thousand events.
    if len(starts) > max_events:
        raise IcsUnparseable(f"more than {max_events} events: split the file")
    try:
        calendar = icalendar.Calendar.from_ical(text)
        events = calendar.walk("VEVENT")
    except Exception as exc:  # the parser raises ValueError, its own types, RecursionError...
        # Its messages quote the input: keep them short.
        raise IcsUnparseable(f"unparseable iCalendar: {str(exc)[:160]}") from exc
    if calendar.name != "VCALENDAR":
        raise IcsUnparseable("unparseable iCalendar: the file does not start with BEGIN:VCALENDAR")
    lines: list[int | None] = list(starts) if len(starts) == len(events) else [None] * len(events)
    rows = []
    for line, event in zip(lines, events, strict=True):
        if _text(event, "X-MORATORIUM-TYPE").lower() == TYPE_WINDOW:
            continue
        rows.append((line, *_election_fields(event)))
    return rows


def _election_fields(event: icalendar.cal.Component) -> tuple[dict, dict[str, str]]:
    errors: dict[str, str] = {}
    fields: dict = {
        "country": _text(event, "X-MORATORIUM-COUNTRY"),
        "name": _text(event, "SUMMARY"),
        "kind": _text(event, "X-MORATORIUM-KIND"),
        "round": _text(event, "X-MORATORIUM-ROUND"),
        "region": _text(event, "X-MORATORIUM-REGION"),
        "voting_days": _text(event, "X-MORATORIUM-VOTING-DAYS"),
        "polls_open": _text(event, "X-MORATORIUM-POLLS-OPEN"),
        "polls_close": _text(event, "X-MORATORIUM-POLLS-CLOSE"),
        "source_urls": [],
    }
    if not fields["country"]:
        errors["country"] = "missing X-MORATORIUM-COUNTRY (ISO 3166-1 alpha-2)"
    if not fields["kind"]:
        errors["kind"] = "missing X-MORATORIUM-KIND"
    url = _text(event, "URL")
    if url:
        fields["source_urls"] = [url]
    try:
        start = _dt_value(event, "DTSTART")
        end = _dt_value(event, "DTEND")
    except ValueError as exc:
        errors["voting_days"] = str(exc)
        return fields, errors
    if start is None:
        if not fields["voting_days"]:
            errors["voting_days"] = "missing DTSTART (or X-MORATORIUM-VOTING-DAYS)"
        return fields, errors
    if isinstance(start, dt.datetime):
        _timed_event_fields(start, end, fields, errors)
    elif not fields["voting_days"]:
        # All-day event: DTEND is exclusive; without DTEND it is one day (RFC 5545 3.6.1).
        last = (end - dt.timedelta(days=1)) if end is not None and not isinstance(end, dt.datetime) else start
        if last < start:
            errors["voting_days"] = "DTEND is not after DTSTART"
        elif (last - start).days > 31:
            errors["voting_days"] = "an event longer than 31 days is not one election's voting"
        else:
            fields["voting_days"] = ";".join(
                (start + dt.timedelta(days=n)).isoformat() for n in range((last - start).days + 1)
            )
    return fields, errors


def _timed_event_fields(start: dt.datetime, end, fields: dict, errors: dict[str, str]) -> None:
    """A timed event gives one voting day with the polls' local hours as DTSTART and DTEND."""
    # The wall-clock hours are what matter (the country's zones place them); an instant in UTC
    # would need a guess at the zone, so it is refused rather than misread.
    if start.tzinfo is not None and str(start.tzinfo) in {"UTC", "Etc/UTC"}:
        errors["polls_open"] = "DTSTART is in UTC: give the local time with TZID (or floating time)"
        return
    if not fields["voting_days"]:
        fields["voting_days"] = start.date().isoformat()
    if not fields["polls_open"]:
        fields["polls_open"] = f"{start:%H:%M}"
    if not fields["polls_close"]:
        if not isinstance(end, dt.datetime):
            errors["polls_close"] = "missing DTEND (or X-MORATORIUM-POLLS-CLOSE)"
        elif end.date() == start.date():
            fields["polls_close"] = f"{end:%H:%M}"
        elif end.date() == start.date() + dt.timedelta(days=1) and end.time() < start.time():
            fields["polls_close"] = f"{end:%H:%M}+1"  # polls close after midnight
        else:
            errors["polls_close"] = (
                "DTEND is not within 24 hours of DTSTART: one timed event is one voting day"
            )
