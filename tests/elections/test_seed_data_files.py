"""The seed files themselves: shape, enumerations, time zones, dates, sources and coverage.

These read elections/data/*.json directly (no database), so a bad edit to the seed fails here
with the entry's name before the data migration ever runs.
"""

import json
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

import pytest

from elections.models import Election
from elections.seed import seed_calendar

DATA = Path(__file__).resolve().parents[2] / "elections" / "data"
COUNTRIES = json.loads((DATA / "countries.json").read_text(encoding="utf-8"))
ELECTIONS = json.loads((DATA / "elections.json").read_text(encoding="utf-8"))
BY_CODE = {country["code"]: country for country in COUNTRIES}
ZONES = available_timezones()

COUNTRY_KEYS = {"code", "name", "time_zones", "languages", "silence_rule"}
NO_SILENCE_KEYS = {"no_silence_note", "no_silence_sources"}
RULE_KEYS = {
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
}
ELECTION_KEYS = {
    "country",
    "name",
    "kind",
    "round",
    "region",
    "voting_days",
    "polls_open",
    "polls_close",
    "polls_time_zone",
    "time_zones",
    "phases",
    "source_urls",
    "notes",
    "expected_silence",
}
OPTIONAL_ELECTION_KEYS = {"constituencies", "polls_close_next_day", "status"}
KINDS = {
    "parliamentary",
    "presidential",
    "local",
    "regional",
    "european",
    "referendum",
    "primary",
    "general",
    "senate",
}
ROUNDS = {"first", "runoff", "repeat"}
HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
LOCAL_MINUTE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")
REGION = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")

RULED = [country for country in COUNTRIES if country["silence_rule"] is not None]
UNRULED = [country for country in COUNTRIES if country["silence_rule"] is None]


def ids(items, key):
    return [item[key] for item in items]


def days_of(election):
    return [date.fromisoformat(day) for day in election["voting_days"]]


def https_sources(urls):
    return [url for url in urls if url.startswith("https://")]


def test_the_seed_covers_enough_countries_and_recent_elections():
    assert len(COUNTRIES) >= 30
    recent = [e for e in ELECTIONS if all(2022 <= day.year <= 2025 for day in days_of(e))]
    assert len(recent) >= 40


def test_the_countries_the_issue_names_are_seeded():
    for code in ("SK", "PK", "US", "HU", "CZ", "MX", "ID", "BR", "RU", "IN"):
        assert code in BY_CODE, code
    for code in ("US", "HU", "CZ"):
        assert BY_CODE[code]["silence_rule"] is None, code
    assert "Burson v. Freeman" in BY_CODE["US"]["no_silence_note"]


def test_country_codes_are_unique_iso_alpha_2():
    codes = ids(COUNTRIES, "code")
    assert len(set(codes)) == len(codes)
    assert all(re.match(r"^[A-Z]{2}$", code) for code in codes)


@pytest.mark.parametrize("country", COUNTRIES, ids=ids(COUNTRIES, "code"))
def test_a_country_has_zones_languages_and_a_rule_or_a_reason(country):
    expected = COUNTRY_KEYS | (NO_SILENCE_KEYS if country["silence_rule"] is None else set())
    assert set(country) == expected
    assert country["name"].strip()
    assert country["time_zones"] and len(set(country["time_zones"])) == len(country["time_zones"])
    assert set(country["time_zones"]) <= ZONES
    assert country["languages"] and all(re.match(r"^[a-z]{2}$", lang) for lang in country["languages"])
    if country["silence_rule"] is None:
        assert country["no_silence_note"].strip()
        assert https_sources(country["no_silence_sources"])


@pytest.mark.parametrize("country", RULED, ids=ids(RULED, "code"))
def test_a_rule_says_everything_its_modes_need(country):
    rule = country["silence_rule"]
    assert set(rule) == RULE_KEYS
    assert rule["scope"] in {"full", "advertising", "broadcast"}
    assert rule["covers_online"] in {"yes", "partial", "no", "uncertain"}
    assert rule["start_clock"] in {"elapsed", "wall_clock"}
    assert isinstance(rule["uncertain"], bool)
    if rule["start_mode"] in ("hours_before_polls_open", "hours_before_polls_close"):
        assert isinstance(rule["start_hours"], int) and 0 < rule["start_hours"] <= 14 * 24
        assert rule["start_days"] is None and rule["start_time"] is None
    else:
        assert rule["start_mode"] == "days_before_at_time"
        assert isinstance(rule["start_days"], int) and 0 <= rule["start_days"] <= 14
        assert HH_MM.match(rule["start_time"]) and rule["start_hours"] is None
    assert rule["end_mode"] in {"polls_close", "local_time", "national_instant"}
    if rule["end_mode"] == "polls_close":
        assert rule["end_time"] is None and rule["end_time_zone"] == "" and rule["end_day_offset"] == 0
    else:
        assert HH_MM.match(rule["end_time"]) and rule["end_day_offset"] in (-1, 0, 1, 2)
        national = rule["end_mode"] == "national_instant"
        assert (rule["end_time_zone"] in country["time_zones"]) if national else rule["end_time_zone"] == ""
    if rule["start_mode"] == "hours_before_polls_close":
        assert rule["end_mode"] == "polls_close"
    assert rule["legal_basis"].strip() and rule["notes"].strip()
    assert https_sources(rule["source_urls"])
    if rule["uncertain"]:
        assert "ncertain" in rule["notes"] or "warning" in rule["notes"], "say what is uncertain"


@pytest.mark.parametrize("country", RULED, ids=ids(RULED, "code"))
def test_every_rule_has_a_real_election_to_be_tested_against(country):
    tested = [e for e in ELECTIONS if e["country"] == country["code"] and e["expected_silence"]]
    rule = country["silence_rule"]
    if not tested:
        # A rule no report of a real election has confirmed yet must say so and be uncertain.
        assert rule["uncertain"] and "Untested" in rule["notes"], (
            f"{country['code']} has a rule but no election with an expected window"
        )


@pytest.mark.parametrize("election", ELECTIONS, ids=ids(ELECTIONS, "name"))
def test_an_election_is_well_formed(election):
    assert ELECTION_KEYS <= set(election) <= ELECTION_KEYS | OPTIONAL_ELECTION_KEYS
    country = BY_CODE[election["country"]]
    assert election["name"].strip()
    assert election["kind"] in KINDS and election["round"] in ROUNDS
    days = days_of(election)
    assert days and days == sorted(set(days))
    assert HH_MM.match(election["polls_open"]) and HH_MM.match(election["polls_close"])
    if len(days) == 1:
        # A one-day vote closes after it opens; a two-day vote may open and close at the same
        # hour (Czech Republic: Friday 14:00 to Saturday 14:00).
        assert time.fromisoformat(election["polls_open"]) < time.fromisoformat(election["polls_close"])
    if election["region"]:
        assert REGION.match(election["region"]) and election["region"].startswith(election["country"] + "-")
    assert set(election["time_zones"]) <= set(country["time_zones"])
    assert election["polls_time_zone"] in ZONES | {""}
    assert https_sources(election["source_urls"])


@pytest.mark.parametrize("election", [e for e in ELECTIONS if e["phases"]], ids=lambda e: e["name"])
def test_phases_have_their_own_days_and_regions(election):
    numbers = [phase["number"] for phase in election["phases"]]
    assert len(set(numbers)) == len(numbers) and all(number >= 1 for number in numbers)
    for phase in election["phases"]:
        assert set(phase["voting_days"]) <= set(election["voting_days"])
        assert phase["regions"]
        assert all(REGION.match(r) and r.startswith(election["country"] + "-") for r in phase["regions"])


@pytest.mark.parametrize("election", [e for e in ELECTIONS if e["expected_silence"]], ids=lambda e: e["name"])
def test_an_expected_window_brackets_the_start_of_voting(election):
    expected = election["expected_silence"]
    assert BY_CODE[election["country"]]["silence_rule"] is not None
    assert set(expected) == {"time_zone", "start", "end"}
    assert expected["time_zone"] in BY_CODE[election["country"]]["time_zones"]
    assert LOCAL_MINUTE.match(expected["start"]) and LOCAL_MINUTE.match(expected["end"])
    start, end = datetime.fromisoformat(expected["start"]), datetime.fromisoformat(expected["end"])
    first_days = election["phases"][0]["voting_days"] if election["phases"] else election["voting_days"]
    opening = datetime.combine(date.fromisoformat(first_days[0]), time.fromisoformat(election["polls_open"]))
    assert start < opening < end
    assert end - start <= timedelta(days=8), "a silence period is days long, not weeks"


def test_election_names_are_unique_per_country():
    keys = [(e["country"], e["name"], e["round"], e["region"]) for e in ELECTIONS]
    assert len(set(keys)) == len(keys)


def test_runoffs_multi_day_and_phased_votes_are_represented():
    assert sum(e["round"] == "runoff" for e in ELECTIONS) >= 5
    assert any(len(e["voting_days"]) > 1 and e["country"] == "CZ" for e in ELECTIONS)
    assert any(len(e["voting_days"]) > 1 and e["country"] == "IT" for e in ELECTIONS)
    india = [e for e in ELECTIONS if e["country"] == "IN" and len(e["phases"]) >= 2]
    assert india


def local_window(window) -> dict:
    zone = ZoneInfo(window.time_zone)
    return {
        "time_zone": window.time_zone,
        "start": window.computed_start.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        "end": window.computed_end.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
    }


@pytest.mark.django_db
def test_every_seeded_rule_gives_the_window_its_sources_describe():
    seed_calendar()
    wrong = []
    for item in ELECTIONS:
        expected = item["expected_silence"]
        election = Election.objects.get(country_id=item["country"], name=item["name"], round=item["round"])
        computed = [local_window(window) for window in election.windows.all()]
        if expected is None:
            continue
        if expected not in computed:
            wrong.append(
                (item["name"], expected, [w for w in computed if w["time_zone"] == expected["time_zone"]])
            )
    assert not wrong
