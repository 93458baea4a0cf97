"""Bad input gets field-level messages, from the services and from the models' clean() alike."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from elections.models import Country, Election, SilenceRule
from elections.services import election_create, silence_rule_save

from .conftest import FROM_MIDNIGHT_THE_DAY_BEFORE


def slovak_vote(**changes):
    values = {
        "country": "SK",
        "name": "Vote",
        "kind": "parliamentary",
        "voting_days": [date(2023, 9, 30)],
        "polls_open": time(7),
        "polls_close": time(22),
    }
    return election_create(**{**values, **changes})


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


@pytest.fixture
def slovakia(country_with_rule):
    return country_with_rule("SK", ["Europe/Bratislava"], FROM_MIDNIGHT_THE_DAY_BEFORE)


def test_polls_closing_before_they_open_on_a_one_day_vote(slovakia):
    errors = errors_of(lambda: slovak_vote(polls_open=time(22), polls_close=time(7)))
    assert errors["polls_close"] == [
        "Polls close (07:00) before they open (22:00) on a one-day vote; "
        "if they close after midnight, tick 'polls close the next day'."
    ]
    assert not Election.objects.exists()


def test_on_a_two_day_vote_the_close_may_be_earlier_in_the_day(slovakia):
    # Czech style: Friday 14:00 to Saturday 14:00.
    election = slovak_vote(
        voting_days=[date(2023, 9, 29), date(2023, 9, 30)], polls_open=time(14), polls_close=time(14)
    )
    assert election.windows.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"country": "XX"}, "country", "Unknown country 'XX': add it to the calendar first."),
        (
            {"polls_time_zone": "Mars/Olympus_Mons"},
            "polls_time_zone",
            "Unknown time zone 'Mars/Olympus_Mons': use an IANA name such as Europe/Bratislava.",
        ),
        (
            {"time_zones": ["Europe/Bratislava", "CET/Nowhere"]},
            "time_zones",
            "Unknown time zone 'CET/Nowhere': use an IANA name such as Europe/Bratislava.",
        ),
        (
            {"voting_days": [date(2023, 9, 30), date(2023, 9, 29)]},
            "voting_days",
            "List the voting days in ascending order.",
        ),
        ({"voting_days": ["2023-09-30", "2023-09-30"]}, "voting_days", "A voting day is listed twice."),
        ({"voting_days": []}, "voting_days", "Enter at least one voting day."),
        (
            {"voting_days": ["30/09/2023"]},
            "voting_days",
            "Voting days: '30/09/2023' is not an ISO date (YYYY-MM-DD).",
        ),
        ({"region": "CZ-10"}, "region", "Region CZ-10 is not in country SK."),
        ({"kind": "coronation"}, "kind", "Unknown kind 'coronation'."),
        ({"round": "third"}, "round", "Unknown round 'third': first, runoff or repeat."),
        ({"name": " "}, "name", "Enter the election's name."),
    ],
)
def test_election_create_names_the_bad_field(slovakia, changes, field, message):
    assert errors_of(lambda: slovak_vote(**changes))[field] == [message]
    assert not Election.objects.exists()


def test_overlapping_rounds_of_the_same_kind_are_refused(slovakia):
    slovak_vote(round="first")
    errors = errors_of(lambda: slovak_vote(round="repeat", name="Repeat"))
    assert errors["voting_days"][0].startswith("Overlaps Vote (First round, 2023-09-30–2023-09-30)")


def test_same_day_elections_of_other_kinds_or_places_are_fine(slovakia):
    slovak_vote()
    slovak_vote(kind="referendum", name="Referendum")
    slovak_vote(kind="parliamentary", region="SK-BL", name="Bratislava regional")
    assert Election.objects.count() == 3


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {
                "start_mode": "hours_before_polls_open",
                "start_days": None,
                "start_time": None,
                "start_hours": None,
            },
            "start_hours",
            "Enter how many hours before the polls' opening or close it starts.",
        ),
        (
            {"start_days": None},
            "start_days",
            "Enter how many days before the first voting day the silence starts.",
        ),
        (
            {"start_time": None},
            "start_time",
            "Enter the local time of day the silence starts (00:00 = midnight).",
        ),
        (
            {"end_mode": "national_instant", "end_time": time(21), "end_time_zone": "Moscow"},
            "end_time_zone",
            "Unknown time zone 'Moscow': use an IANA name such as Europe/Bratislava.",
        ),
        (
            {"end_mode": "local_time"},
            "end_time",
            "Enter the time of day the silence ends (00:00 = midnight).",
        ),
        (
            {"end_mode": "polls_close", "end_time_zone": "Europe/Moscow"},
            "end_time",
            "A silence ending when polls close takes no end time or zone.",
        ),
        ({"source_urls": ["not a url"]}, "source_urls", "Enter a list of http(s) source URLs."),
        ({"start_mode": "whenever"}, "start_mode", "Value 'whenever' is not a valid choice."),
    ],
)
def test_silence_rule_save_names_the_bad_field(slovakia, fields, field, message):
    before = SilenceRule.objects.get(country=slovakia).start_time
    assert message in errors_of(lambda: silence_rule_save(country="SK", **fields))[field]
    assert SilenceRule.objects.get(country=slovakia).start_time == before


def test_a_rule_that_ends_before_it_starts_is_refused(country_with_rule):
    # Ending at 00:00 on the voting day, counted from polls opening: nothing left.
    country_with_rule(
        "SK",
        ["Europe/Bratislava"],
        {
            "start_mode": "days_before_at_time",
            "start_days": 0,
            "start_time": time(12),
            "end_mode": "local_time",
            "end_time": time(0),
            "end_day_offset": 0,
        },
    )
    errors = errors_of(lambda: slovak_vote())
    assert errors["voting_days"][0].startswith(
        "No usable silence window for Vote: the silence in Europe/Bratislava would end"
    )
    assert not Election.objects.exists()


def test_model_clean_reports_the_same_errors_as_the_services(slovakia):
    election = Election(
        country=slovakia,
        name="x",
        kind="local",
        voting_days=["2023-09-30"],
        polls_open=time(22),
        polls_close=time(7),
        time_zones=["Nowhere/Land"],
    )
    with pytest.raises(ValidationError) as caught:
        election.full_clean()
    assert set(caught.value.message_dict) >= {"polls_close", "time_zones"}
    with pytest.raises(ValidationError) as caught:
        Country(code="sk", name="x", time_zones=[], languages=["sk"]).full_clean()
    assert caught.value.message_dict["code"] == ["'sk' is not an ISO 3166-1 alpha-2 code such as SK."]
    assert "Enter at least one time zone." in caught.value.message_dict["time_zones"]
