"""`silence_status` on the seeded calendar: Slovakia's real 2023 silence."""

import json

import pytest

from .calendar_io import run


@pytest.mark.seeded_calendar
@pytest.mark.django_db
def test_the_seeded_slovak_2023_election_is_silent_on_the_friday_before():
    [slovakia] = json.loads(
        run("silence_status", "--json", "--country", "SK", "--at", "2023-09-29T12:00:00Z")
    )

    assert slovakia["in_silence"] is True
    assert slovakia["window"]["election"] == "2023 Slovak parliamentary election"
    # The seeded rule: from local midnight two days before voting, until polls close at 22:00.
    assert slovakia["window"]["start"] == "2023-09-27T22:00:00Z"
    assert slovakia["window"]["start_local"] == "2023-09-28T00:00:00+02:00"
    assert slovakia["window"]["end_local"].startswith("2023-09-30T22:")


@pytest.mark.seeded_calendar
@pytest.mark.django_db
def test_the_seeded_indian_phase_shows_a_short_list_of_regions():
    output = run("silence_status", "--country", "IN", "--at", "2024-04-18T20:00:00Z")

    [row] = [line for line in output.splitlines() if line.startswith("IN ")]
    assert "2024 Indian general election, phase 1 [" in row
    assert " more]" in row
