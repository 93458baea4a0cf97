"""The hot-path queries: windows in force (start inclusive, end exclusive), next windows, periods, phases."""

from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from elections.selectors import (
    calendar_phase,
    countries_in_silence,
    election_period_active,
    silence_window_active,
    silence_window_next,
)
from elections.services import election_create

from .conftest import FORTY_EIGHT_HOURS_ELAPSED, FROM_MIDNIGHT_THE_DAY_BEFORE, utc

SLOVAK_START, SLOVAK_END = utc(2023, 9, 28, 5), utc(2023, 9, 30, 20)
TICK = timedelta(microseconds=1)


@pytest.fixture
def slovakia_2023(country_with_rule):
    country_with_rule("SK", ["Europe/Bratislava"], FORTY_EIGHT_HOURS_ELAPSED)
    return election_create(
        country="SK",
        name="2023 Slovak parliamentary election",
        kind="parliamentary",
        voting_days=[date(2023, 9, 30)],
        polls_open=time(7),
        polls_close=time(22),
    )


@pytest.fixture
def united_states_2024(country_with_rule):
    country_with_rule(
        "US", ["America/New_York", "America/Chicago", "America/Los_Angeles", "Pacific/Honolulu"], None
    )
    return election_create(
        country="US",
        name="2024 United States presidential election",
        kind="presidential",
        voting_days=[date(2024, 11, 5)],
        polls_open=time(6),
        polls_close=time(20),
    )


def test_a_window_is_in_force_from_its_first_instant(slovakia_2023):
    assert silence_window_active(country="SK", at=SLOVAK_START - TICK) is None
    assert silence_window_active(country="SK", at=SLOVAK_START).election == slovakia_2023


def test_a_window_is_over_at_its_end_instant(slovakia_2023):
    assert silence_window_active(country="SK", at=SLOVAK_END - TICK).election == slovakia_2023
    assert silence_window_active(country="SK", at=SLOVAK_END) is None


def test_country_codes_are_case_insensitive_and_other_countries_unaffected(slovakia_2023):
    assert silence_window_active(country="sk", at=SLOVAK_START) is not None
    assert silence_window_active(country="CZ", at=SLOVAK_START) is None


def test_the_next_window_starts_strictly_after_the_instant(slovakia_2023):
    assert silence_window_next(country="SK", after=SLOVAK_START - TICK).start == SLOVAK_START
    assert silence_window_next(country="SK", after=SLOVAK_START) is None


def test_a_whole_country_window_applies_to_every_region(slovakia_2023):
    assert silence_window_active(country="SK", region="SK-BL", at=SLOVAK_START) is not None


def test_countries_in_silence_lists_one_window_per_country_the_one_ending_last(
    country_with_rule, slovakia_2023
):
    country_with_rule(
        "RU",
        ["Europe/Kaliningrad", "Asia/Kamchatka"],
        {
            **FROM_MIDNIGHT_THE_DAY_BEFORE,
            "end_mode": "national_instant",
            "end_time": time(21),
            "end_time_zone": "Europe/Moscow",
        },
    )
    country_with_rule("MX", ["America/Mexico_City", "America/Tijuana"], FROM_MIDNIGHT_THE_DAY_BEFORE)
    election_create(
        country="RU",
        name="Fictional Russian vote",
        kind="local",
        voting_days=[date(2023, 9, 30)],
        polls_open=time(8),
        polls_close=time(20),
    )
    election_create(
        country="MX",
        name="Fictional Mexican vote",
        kind="local",
        voting_days=[date(2023, 9, 30)],
        polls_open=time(8),
        polls_close=time(18),
    )
    at = utc(2023, 9, 30, 12)
    silent = countries_in_silence(at=at)
    assert [window.country_id for window in silent] == ["MX", "RU", "SK"]
    assert next(w for w in silent if w.country_id == "MX").time_zone == "America/Tijuana"  # ends last


def test_each_selector_is_one_query(slovakia_2023):
    with CaptureQueriesContext(connection) as queries:
        silence_window_active(country="SK", region="SK-BL", at=SLOVAK_START)
        silence_window_next(country="SK", after=SLOVAK_START)
        election_period_active(country="SK", at=SLOVAK_START)
        countries_in_silence(at=SLOVAK_START)
    assert len(queries) == 4


def test_the_election_period_starts_thirty_local_days_before_voting(slovakia_2023, settings):
    period_start = utc(2023, 8, 30, 22)  # 00:00 CEST on 31 August, 30 days before 30 September
    assert election_period_active(country="SK", at=period_start - TICK) is None
    assert election_period_active(country="SK", at=period_start) == slovakia_2023
    settings.ELECTION_PERIOD_DAYS = 10
    assert election_period_active(country="SK", at=period_start) is None


def test_the_election_period_ends_with_voting_or_an_extended_window(slovakia_2023):
    # Polls close 22:00; voting's day ends at midnight local, which ends the period.
    assert election_period_active(country="SK", at=utc(2023, 9, 30, 21, 59)) == slovakia_2023
    assert election_period_active(country="SK", at=utc(2023, 9, 30, 22)) is None


def test_the_united_states_has_an_election_period_but_never_a_window(united_states_2024):
    assert united_states_2024.windows.count() == 0
    election_day = utc(2024, 11, 5, 18)
    assert silence_window_active(country="US", at=election_day) is None
    assert election_period_active(country="US", at=election_day) == united_states_2024
    assert election_period_active(country="US", at=utc(2024, 10, 10)) == united_states_2024
    # Hawaii's polls close last: the period runs until midnight ending 5 November in Honolulu.
    assert election_period_active(country="US", at=utc(2024, 11, 6, 9, 59)) == united_states_2024
    assert election_period_active(country="US", at=utc(2024, 11, 6, 10)) is None
    phase = calendar_phase(countries=["US"], regions=None, at=election_day)
    assert (phase.phase, phase.country, phase.window, phase.election) == (
        "election_period",
        "US",
        None,
        united_states_2024,
    )


def test_calendar_phase_takes_the_strictest_country(slovakia_2023, united_states_2024):
    phase = calendar_phase(countries=["US", "SK"], regions=None, at=SLOVAK_START)
    assert (phase.phase, phase.country, phase.election) == ("silence", "SK", slovakia_2023)
    assert phase.window.start == SLOVAK_START
    assert calendar_phase(countries=["US"], regions=None, at=utc(2023, 9, 29)).phase == "normal"
    assert calendar_phase(countries=[], regions=None, at=SLOVAK_START).phase == "normal"


def test_calendar_phase_honours_audience_regions(country_with_rule):
    country_with_rule("IN", ["Asia/Kolkata"], {"start_mode": "hours_before_polls_close", "start_hours": 48})
    election_create(
        country="IN",
        name="2024 Indian general election",
        kind="general",
        voting_days=[date(2024, 4, 19), date(2024, 4, 26)],
        polls_open=time(7),
        polls_close=time(18),
        phases=[
            {"number": 1, "voting_days": ["2024-04-19"], "regions": ["IN-TN"]},
            {"number": 2, "voting_days": ["2024-04-26"], "regions": ["IN-KL"]},
        ],
    )
    at = utc(2024, 4, 18, 6)
    assert calendar_phase(countries=["IN"], regions=["IN-KL"], at=at).phase == "election_period"
    assert calendar_phase(countries=["IN"], regions=["IN-KL", "IN-TN"], at=at).phase == "silence"
    assert calendar_phase(countries=["IN"], regions=None, at=at).phase == "silence"
    # Regions of another country say nothing about India: all of India counts.
    assert calendar_phase(countries=["IN"], regions=["SK-BL"], at=at).phase == "silence"
