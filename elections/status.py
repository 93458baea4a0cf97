"""The calendar status at an instant, as `silence_status --json` and the partner API both show it.

One object per country: `country`, `in_silence`, `in_election_period`, and `window` (the window in
force, with `start`/`end` in UTC ending in "Z", plus local times) or null. The field names are a
contract that scripts and partners depend on: extend, don't rename.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from .models import Country, SilenceWindow
from .selectors import countries_in_silence, election_period_active, silence_window_active


def utc_iso(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def window_json(window: SilenceWindow) -> dict:
    """The `window` object: start and end in UTC ("Z"), plus local times and what the window covers."""
    zone = ZoneInfo(window.time_zone)
    return {
        "start": utc_iso(window.start),
        "end": utc_iso(window.end),
        "election": window.election.name,
        "election_id": window.election_id,
        "time_zone": window.time_zone,
        "start_local": window.start.astimezone(zone).isoformat(),
        "end_local": window.end.astimezone(zone).isoformat(),
        "regions": list(window.regions),
        "phase": window.phase.number if window.phase is not None else None,
        "scope": window.scope,
        "covers_online": window.covers_online,
    }


def countries_in_focus(*, at: dt.datetime) -> list[str]:
    """Return the countries an operator asks about at a glance: silent now, or in an election period."""
    silent = {window.country_id for window in countries_in_silence(at=at)}
    in_period = {
        code
        for code in Country.objects.values_list("code", flat=True)
        if election_period_active(country=code, at=at) is not None
    }
    return sorted(silent | in_period)


def country_status(*, country: str, at: dt.datetime) -> dict:
    """Return one country's status object at `at`."""
    window = silence_window_active(country=country, at=at)
    return {
        "country": country,
        "in_silence": window is not None,
        "in_election_period": election_period_active(country=country, at=at) is not None,
        "window": window_json(window) if window else None,
    }
