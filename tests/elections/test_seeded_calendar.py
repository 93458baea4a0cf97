"""The seeded calendar (elections/data): every rule gives the window its sources describe."""

import json
from datetime import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from elections.models import Country, Election, SilenceRule, SilenceWindow
from elections.seed import COUNTRIES_FILE, ELECTIONS_FILE, seed_calendar
from elections.selectors import election_period_active, silence_window_active
from elections.windows import election_window_specs, to_local

from .conftest import utc

pytestmark = pytest.mark.skipif(
    not (COUNTRIES_FILE.exists() and ELECTIONS_FILE.exists()), reason="the seed files are not written yet"
)


def _load(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


COUNTRIES = {item["code"]: item for item in _load(COUNTRIES_FILE)}
ELECTIONS = _load(ELECTIONS_FILE)
CHECKED = [item for item in ELECTIONS if item["expected_silence"]]


def _clock(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def _rule(raw: dict) -> SimpleNamespace:
    return SimpleNamespace(
        **{**raw, "start_time": _clock(raw["start_time"]), "end_time": _clock(raw["end_time"])}
    )


def _local(window_spec, zone: str) -> dict:
    return {
        "time_zone": zone,
        "start": to_local(window_spec.start_utc, zone).strftime("%Y-%m-%dT%H:%M"),
        "end": to_local(window_spec.end_utc, zone).strftime("%Y-%m-%dT%H:%M"),
    }


@pytest.mark.parametrize("item", CHECKED, ids=[f"{item['country']}: {item['name']}" for item in CHECKED])
def test_the_rule_gives_the_window_the_sources_describe(item):
    country = COUNTRIES[item["country"]]
    election = SimpleNamespace(
        **{**item, "polls_open": _clock(item["polls_open"]), "polls_close": _clock(item["polls_close"])}
    )
    phases = [SimpleNamespace(**phase) for phase in item.get("phases") or []]
    specs = election_window_specs(
        rule=_rule(country["silence_rule"]),
        election=election,
        country_zones=country["time_zones"],
        phases=phases,
    )
    expected = item["expected_silence"]
    assert expected in [_local(spec, spec.time_zone) for spec in specs]


def test_every_seeded_rule_is_checked_against_at_least_one_real_election():
    with_rules = {
        code
        for code, country in COUNTRIES.items()
        # Rules recalled from the law but not yet checked against a report say "Untested".
        if country["silence_rule"] and "Untested" not in country["silence_rule"]["notes"]
    }
    assert with_rules - {item["country"] for item in CHECKED} == set()


def test_the_seed_covers_the_issues_minimum():
    assert len(COUNTRIES) >= 30
    assert len(ELECTIONS) >= 40
    assert {"SK", "PK", "US"} <= set(COUNTRIES)
    assert COUNTRIES["US"]["silence_rule"] is None
    assert all(item["source_urls"] for item in ELECTIONS)
    assert all(
        country["silence_rule"]["source_urls"] for country in COUNTRIES.values() if country["silence_rule"]
    )


@pytest.mark.seeded_calendar
@pytest.mark.django_db
def test_the_seeded_database_answers_for_slovakia_2023_and_the_us_2024():
    assert Country.objects.count() == len(COUNTRIES)
    assert Election.objects.count() == len(ELECTIONS)
    slovak = silence_window_active(country="SK", at=utc(2023, 9, 29, 12))
    assert slovak.election.name == "2023 Slovak parliamentary election"
    # The United States: no window ever, but a primary still brings its election period to its state.
    primary_day = utc(2024, 1, 23, 18)
    assert silence_window_active(country="US", region="US-NH", at=primary_day) is None
    assert election_period_active(country="US", region="US-NH", at=primary_day).region == "US-NH"
    assert election_period_active(country="US", region="US-CA", at=primary_day) is None
    assert not SilenceRule.objects.filter(country_id="US").exists()
    assert Country.objects.get(code="US").no_silence_note


@pytest.mark.django_db
def test_the_data_migration_loads_the_calendar_with_historical_models():
    # The migration calls seed_calendar(apps=...) with the models as of that migration.
    historical = MigrationLoader(connection).project_state(("elections", "0005_seed_calendar")).apps
    result = seed_calendar(apps=historical)
    assert (result.countries, result.elections) == (len(COUNTRIES), len(ELECTIONS))
    assert SilenceWindow.objects.filter(country_id="SK").exists()
