"""Validation shared by the models' clean(), the services, the seed loader and the admin.

Every function here takes plain values and returns a dict of field name -> list of messages,
so a model form, a service, an importer and a data migration (which works on historical
models) all report the same errors in the same words.
"""

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

Errors = dict[str, list[str]]

COUNTRY_CODE_RE = re.compile(r"^[A-Z]{2}$")
# ISO 3166-2: the country code, a hyphen, then one to three letters or digits.
REGION_CODE_RE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


def add_error(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def time_zone_error(name: Any) -> str | None:
    """Return why `name` is not an IANA time zone name, or None when it is one."""
    if not isinstance(name, str) or not name:
        return "Enter an IANA time zone name such as Europe/Bratislava."
    # available_timezones() is the authoritative list; ZoneInfo() alone would also accept
    # file paths inside the tz database such as "posix/Europe/Paris".
    if name not in _known_zones():
        return f"Unknown time zone {name!r}: use an IANA name such as Europe/Bratislava."
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return f"Unknown time zone {name!r}: use an IANA name such as Europe/Bratislava."
    return None


def zone_list_errors(field: str, zones: Any, *, required: bool) -> Errors:
    errors: Errors = {}
    if not isinstance(zones, list | tuple):
        add_error(errors, field, "Enter a list of IANA time zone names.")
        return errors
    if required and not zones:
        add_error(errors, field, "Enter at least one time zone.")
    for zone in zones:
        message = time_zone_error(zone)
        if message:
            add_error(errors, field, message)
    if len(set(zones)) != len(zones):
        add_error(errors, field, "A time zone is listed twice.")
    return errors


def parse_day(value: Any) -> date:
    """Return `value` (a date or an ISO date string) as a date, or raise ValueError."""
    if isinstance(value, datetime):
        raise ValueError(f"{value!r} is a date and time, not a date")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value.strip())
    raise ValueError(f"{value!r} is not a date")


def parse_days(values: Any) -> list[date]:
    """Return a list of dates from ISO strings or dates; raise ValueError on anything else."""
    if not isinstance(values, list | tuple):
        raise ValueError("enter a list of ISO dates (YYYY-MM-DD)")
    days = []
    for value in values:
        try:
            days.append(parse_day(value))
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None
    return days


def days_to_json(values: Iterable[Any]) -> list[str]:
    """Normalize voting days to the stored form: ISO date strings."""
    return [parse_day(value).isoformat() for value in values]


def voting_day_errors(field: str, values: Any) -> Errors:
    errors: Errors = {}
    try:
        days = parse_days(values)
    except ValueError as exc:
        add_error(errors, field, f"Voting days: {exc}.")
        return errors
    if not days:
        add_error(errors, field, "Enter at least one voting day.")
    if len(set(days)) != len(days):
        add_error(errors, field, "A voting day is listed twice.")
    elif days != sorted(days):
        add_error(errors, field, "List the voting days in ascending order.")
    return errors


def region_error(region: str, country_code: str | None) -> str | None:
    if not REGION_CODE_RE.match(region or ""):
        return f"{region!r} is not an ISO 3166-2 code such as IN-TN."
    if country_code and not region.startswith(f"{country_code}-"):
        return f"Region {region} is not in country {country_code}."
    return None


def election_errors(
    *,
    country_code: str | None,
    region: str,
    constituencies: Any,
    voting_days: Any,
    polls_open: time | None,
    polls_close: time | None,
    polls_close_next_day: bool,
    polls_time_zone: str,
    time_zones: Any,
    phases: Sequence[dict] = (),
) -> Errors:
    """Check an election's own fields (not its overlap with others: see overlapping_elections).

    `phases` are dicts with number, voting_days, regions.
    """
    errors: Errors = {}
    if region:
        message = region_error(region, country_code)
        if message:
            add_error(errors, "region", message)
    if not isinstance(constituencies, list | tuple) or not all(
        isinstance(item, str) and item.strip() for item in constituencies
    ):
        add_error(errors, "constituencies", "Enter a list of constituency names.")
    for field, message_list in voting_day_errors("voting_days", voting_days).items():
        errors.setdefault(field, []).extend(message_list)
    if polls_time_zone:
        message = time_zone_error(polls_time_zone)
        if message:
            add_error(errors, "polls_time_zone", message)
    for field, message_list in zone_list_errors("time_zones", time_zones, required=False).items():
        errors.setdefault(field, []).extend(message_list)
    if polls_open is None:
        add_error(errors, "polls_open", "Enter the local time polls open on the first voting day.")
    if polls_close is None:
        add_error(errors, "polls_close", "Enter the local time polls close on the last voting day.")
    if "voting_days" not in errors and polls_open is not None and polls_close is not None:
        days = parse_days(voting_days)
        # One polls_open (first day) and one polls_close (last day): only a one-day vote can
        # close "before" it opens, and then only if it closes after midnight, which must be said.
        if len(days) == 1 and not polls_close_next_day and polls_close <= polls_open:
            add_error(
                errors,
                "polls_close",
                f"Polls close ({polls_close:%H:%M}) before they open ({polls_open:%H:%M}) on a one-day vote; "
                "if they close after midnight, tick 'polls close the next day'.",
            )
    if polls_close_next_day and polls_close is not None and polls_open is not None:
        days = parse_days(voting_days) if "voting_days" not in errors else []
        if len(days) == 1 and polls_close >= polls_open:
            add_error(
                errors,
                "polls_close_next_day",
                "Polls closing the next day must close earlier in the day than they opened "
                "(more than 24 hours of voting: list both days instead).",
            )
    errors.update(_phase_errors(phases, country_code, voting_days if "voting_days" not in errors else None))
    return errors


def phase_errors(
    *, country_code: str | None, election_days: Any, number: Any, voting_days: Any, regions: Any
) -> Errors:
    """Check one phase of a phased election against its election's voting days."""
    errors: Errors = {}
    if not isinstance(number, int) or number < 1:
        add_error(errors, "number", "The phase number must be a positive integer.")
    errors.update(voting_day_errors("voting_days", voting_days))
    if not isinstance(regions, list | tuple) or not regions:
        add_error(errors, "regions", "List the ISO 3166-2 regions voting in this phase.")
    else:
        for region in regions:
            message = region_error(region, country_code)
            if message:
                add_error(errors, "regions", message)
    if election_days is not None and "voting_days" not in errors:
        try:
            stray = sorted(set(parse_days(voting_days)) - set(parse_days(election_days)))
        except ValueError:
            stray = []
        if stray:
            add_error(
                errors,
                "voting_days",
                f"{', '.join(day.isoformat() for day in stray)} is not one of the election's voting days.",
            )
    return errors


def _phase_errors(phases: Sequence[dict], country_code: str | None, voting_days: Any) -> Errors:
    errors: Errors = {}
    numbers = [phase.get("number") for phase in phases]
    if len(set(numbers)) != len(numbers):
        add_error(errors, "phases", "Two phases have the same number.")
    for phase in phases:
        found = phase_errors(
            country_code=country_code,
            election_days=voting_days,
            number=phase.get("number"),
            voting_days=phase.get("voting_days"),
            regions=phase.get("regions") or [],
        )
        for messages in found.values():
            for message in messages:
                add_error(errors, "phases", f"Phase {phase.get('number')}: {message}")
    return errors


def overlapping_elections(
    queryset, *, country_code, kind, region, constituencies, voting_days, exclude_pk=None
):
    """Return the elections of `queryset` that overlap this one: a second round on the same days.

    Same country, kind and region, voting spans that intersect, and constituencies that are not
    disjoint (two by-elections in different constituencies on one day are fine).
    """
    days = parse_days(voting_days)
    qs = queryset.filter(
        country_id=country_code,
        kind=kind,
        region=region or "",
        first_voting_day__lte=max(days),
        last_voting_day__gte=min(days),
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    mine = set(constituencies or [])
    return [
        other for other in qs if not (mine and other.constituencies and mine.isdisjoint(other.constituencies))
    ]


def rule_errors(
    *,
    start_mode: str,
    start_hours: int | None,
    start_clock: str,
    start_days: int | None,
    start_time: time | None,
    end_mode: str,
    end_time: time | None,
    end_day_offset: int | None,
    end_time_zone: str,
    source_urls: Any = (),
) -> Errors:
    """Check that a silence rule says everything its start and end modes need."""
    errors: Errors = {}
    if start_mode in ("hours_before_polls_open", "hours_before_polls_close"):
        if not start_hours:
            add_error(
                errors, "start_hours", "Enter how many hours before the polls' opening or close it starts."
            )
        elif start_hours > 24 * 14:
            add_error(errors, "start_hours", "A silence longer than two weeks is not a silence period.")
        if start_clock not in ("elapsed", "wall_clock"):
            add_error(errors, "start_clock", "Choose elapsed hours or the same wall-clock time.")
        if start_days is not None or start_time is not None:
            add_error(errors, "start_mode", "Days and a time of day are for the days_before_at_time mode.")
        if start_mode == "hours_before_polls_close" and end_mode != "polls_close":
            add_error(
                errors, "end_mode", "A silence counted back from the polls' close ends when they close."
            )
    elif start_mode == "days_before_at_time":
        if start_days is None:
            add_error(
                errors, "start_days", "Enter how many days before the first voting day the silence starts."
            )
        elif start_days > 14:
            add_error(errors, "start_days", "A silence longer than two weeks is not a silence period.")
        if start_time is None:
            add_error(
                errors, "start_time", "Enter the local time of day the silence starts (00:00 = midnight)."
            )
        if start_hours is not None:
            add_error(errors, "start_hours", "Hours are for the hours_before_polls_* modes.")
    else:
        add_error(errors, "start_mode", f"Unknown start mode {start_mode!r}.")

    if end_mode == "polls_close":
        if end_time is not None or end_time_zone:
            add_error(errors, "end_time", "A silence ending when polls close takes no end time or zone.")
    elif end_mode in ("local_time", "national_instant"):
        if end_time is None:
            add_error(errors, "end_time", "Enter the time of day the silence ends (00:00 = midnight).")
        if end_day_offset is None or not -1 <= end_day_offset <= 2:
            add_error(errors, "end_day_offset", "Enter a day offset from -1 to 2 after the last voting day.")
        if end_mode == "national_instant":
            message = time_zone_error(end_time_zone)
            if message:
                add_error(errors, "end_time_zone", message)
        elif end_time_zone:
            add_error(errors, "end_time_zone", "Only a national_instant end takes a time zone.")
    else:
        add_error(errors, "end_mode", f"Unknown end mode {end_mode!r}.")
    if end_mode == "polls_close" and end_day_offset:
        add_error(errors, "end_day_offset", "A silence ending when polls close takes no day offset.")
    if not isinstance(source_urls, list | tuple) or not all(
        isinstance(url, str) and url.startswith(("http://", "https://")) for url in source_urls
    ):
        add_error(errors, "source_urls", "Enter a list of http(s) source URLs.")
    return errors


def country_errors(*, code: str, time_zones: Any, languages: Any) -> Errors:
    errors: Errors = {}
    if not COUNTRY_CODE_RE.match(code or ""):
        add_error(errors, "code", f"{code!r} is not an ISO 3166-1 alpha-2 code such as SK.")
    errors.update(zone_list_errors("time_zones", time_zones, required=True))
    if not isinstance(languages, list | tuple) or not all(
        isinstance(lang, str) and re.match(r"^[a-z]{2,3}$", lang) for lang in languages
    ):
        add_error(errors, "languages", "Enter a list of ISO 639-1 codes such as sk.")
    return errors


# The fields a silence rule is written with (services, the seed loader and the admin share them).
RULE_FIELDS = (
    "scope",
    "start_mode",
    "start_hours",
    "start_clock",
    "start_days",
    "start_time",
    "end_mode",
    "end_time",
    "end_day_offset",
    "end_time_zone",
    "covers_online",
    "legal_basis",
    "source_urls",
    "notes",
    "uncertain",
)
