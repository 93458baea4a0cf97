"""`silence_status`: who is silent at an instant, in a table or as JSON."""

import datetime as dt
import json

import pytest
from django.core.management.base import CommandError

from elections.models import Country, SilenceRule
from elections.services import election_create, window_adjust

from .calendar_io import mexico_2024, run

SK_2023 = "2023 Slovak parliamentary election"
# A 48-hours-before-polls-open rule (the research notes' first reading of Slovakia's law) for a
# Saturday 07:00-22:00 CEST vote: from Thursday 07:00 CEST until Saturday 22:00 CEST.
WINDOW_START = "2023-09-28T05:00:00Z"
WINDOW_END = "2023-09-30T20:00:00Z"


@pytest.fixture(autouse=True)
def calendar(db):
    slovakia = Country.objects.create(
        code="SK", name="Slovakia", time_zones=["Europe/Bratislava"], languages=["sk"]
    )
    SilenceRule.objects.create(
        country=slovakia, start_mode="hours_before_polls_open", start_hours=48, end_mode="polls_close"
    )
    election_create(
        country="SK",
        name=SK_2023,
        kind="parliamentary",
        voting_days=[dt.date(2023, 9, 30)],
        polls_open=dt.time(7),
        polls_close=dt.time(22),
    )
    # Poland votes two weeks later: in its election period while Slovakia is silent.
    poland = Country.objects.create(code="PL", name="Poland", time_zones=["Europe/Warsaw"], languages=["pl"])
    SilenceRule.objects.create(
        country=poland,
        start_mode="days_before_at_time",
        start_days=1,
        start_time=dt.time(0),
        end_mode="polls_close",
    )
    election_create(
        country="PL",
        name="2023 Polish parliamentary election",
        kind="parliamentary",
        voting_days=[dt.date(2023, 10, 15)],
        polls_open=dt.time(7),
        polls_close=dt.time(21),
    )
    # The US has no silence period, only an election period.
    Country.objects.create(
        code="US",
        name="United States",
        time_zones=["America/New_York", "America/Los_Angeles"],
        languages=["en"],
    )
    election_create(
        country="US",
        name="2023 Kentucky gubernatorial election",
        kind="regional",
        region="US-KY",
        voting_days=[dt.date(2023, 11, 7)],
        polls_open=dt.time(6),
        polls_close=dt.time(18),
    )
    Country.objects.create(code="HU", name="Hungary", time_zones=["Europe/Budapest"], languages=["hu"])


def status(*args: str) -> list[dict]:
    return json.loads(run("silence_status", "--json", *args))


def test_json_for_one_country_inside_its_window():
    [slovakia] = status("--country", "SK", "--at", "2023-09-29T12:00:00Z")

    assert set(slovakia) == {"country", "in_silence", "in_election_period", "window"}
    assert slovakia["country"] == "SK"
    assert slovakia["in_silence"] is True
    assert slovakia["in_election_period"] is True
    window = slovakia["window"]
    assert (window["start"], window["end"], window["election"]) == (WINDOW_START, WINDOW_END, SK_2023)
    assert window["time_zone"] == "Europe/Bratislava"
    assert window["start_local"] == "2023-09-28T07:00:00+02:00"
    assert window["end_local"] == "2023-09-30T22:00:00+02:00"


@pytest.mark.parametrize(
    ("at", "in_silence", "in_election_period"),
    [
        ("2023-09-28T04:59:59Z", False, True),  # a second before: the run-up
        (WINDOW_START, True, True),  # start inclusive
        ("2023-09-30T19:59:59Z", True, True),
        (WINDOW_END, False, True),  # end exclusive; voting day itself still in the period
        ("2023-06-01T00:00:00Z", False, False),
    ],
)
def test_window_boundaries(at, in_silence, in_election_period):
    [slovakia] = status("--country", "SK", "--at", at)

    assert slovakia["in_silence"] is in_silence
    assert slovakia["in_election_period"] is in_election_period
    assert (slovakia["window"] is not None) is in_silence


def test_an_offset_in_at_is_the_same_instant():
    assert status("--country", "SK", "--at", "2023-09-28T07:00:00+02:00")[0]["in_silence"] is True
    assert status("--country", "SK", "--at", "2023-09-28T06:59:59+02:00")[0]["in_silence"] is False


def test_an_extended_window_stays_in_force_until_its_new_end():
    window = Country.objects.get(code="SK").windows.get()
    window_adjust(
        window=window, new_end=window.end + dt.timedelta(minutes=40), reason="One station voted late"
    )

    [slovakia] = status("--country", "SK", "--at", "2023-09-30T20:30:00Z")

    assert slovakia["in_silence"] is True
    assert slovakia["window"]["end"] == "2023-09-30T20:40:00Z"


def test_without_country_every_country_in_silence_or_in_its_election_period():
    countries = status("--at", "2023-09-29T12:00:00Z")

    assert [(c["country"], c["in_silence"], c["in_election_period"]) for c in countries] == [
        ("PL", False, True),
        ("SK", True, True),
    ]


def test_a_country_without_silence_shows_its_election_period():
    countries = status("--at", "2023-11-01T12:00:00Z")

    assert countries == [{"country": "US", "in_silence": False, "in_election_period": True, "window": None}]


def test_all_lists_the_quiet_countries_too():
    countries = status("--all", "--at", "2023-09-29T12:00:00Z")

    assert [c["country"] for c in countries] == ["HU", "PL", "SK", "US"]
    assert countries[0] == {"country": "HU", "in_silence": False, "in_election_period": False, "window": None}


def test_the_table_shows_utc_and_local_times():
    output = run("silence_status", "--at", "2023-09-29T12:00:00Z")

    lines = output.splitlines()
    assert lines[0] == "Silence status at 2023-09-29 12:00:00 UTC"
    assert lines[1].split() == [
        "COUNTRY", "SILENCE", "ELECTION", "PERIOD", "ELECTION", "TIME", "ZONE",
        "START", "(UTC)", "END", "(UTC)", "START", "(LOCAL)", "END", "(LOCAL)",
    ]  # fmt: skip
    [slovakia] = [line for line in lines if line.startswith("SK ")]
    assert slovakia.split()[:3] == ["SK", "yes", "yes"]
    for text in (
        SK_2023,
        "Europe/Bratislava",
        "2023-09-28 05:00",
        "2023-09-30 20:00",
        "2023-09-28 07:00 CEST",
    ):
        assert text in slovakia
    [poland] = [line for line in lines if line.startswith("PL ")]
    assert poland.split()[:3] == ["PL", "no", "yes"]


def test_the_table_says_plainly_when_nobody_is_silent():
    output = run("silence_status", "--at", "2030-01-01T00:00:00Z")

    assert "No country is in election silence or in an election period." in output


def test_a_country_spanning_zones_shows_each_zone_in_the_table():
    mexico_2024()

    # 06:30 UTC on 30 May: past midnight in Mexico City, still 23:30 the day before in Tijuana.
    early = run("silence_status", "--country", "MX", "--at", "2024-05-30T06:30:00Z")
    # 08:00 UTC: past midnight in both.
    later = run("silence_status", "--country", "MX", "--at", "2024-05-30T08:00:00Z")

    early_rows = [line for line in early.splitlines() if line.startswith("MX ")]
    assert len(early_rows) == 1
    assert "America/Mexico_City" in early_rows[0]
    assert "2024-05-30 00:00 CST" in early_rows[0]
    later_rows = [line for line in later.splitlines() if line.startswith("MX ")]
    assert len(later_rows) == 2
    assert "America/Tijuana" in later_rows[1]
    assert "2024-05-30 00:00 PDT" in later_rows[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--at", "yesterday"], "is not an ISO 8601 date-time"),
        (["--at", "2023-09-29T12:00"], "has no UTC offset"),
        (["--country", "XX"], "'XX' is not a country in the calendar"),
    ],
)
def test_bad_input_is_a_clear_error(args, message):
    with pytest.raises(CommandError, match=message):
        run("silence_status", *args)
