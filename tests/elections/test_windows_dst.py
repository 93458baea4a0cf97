"""DST edges: a 48-hour silence across the European clock changes, in both clock semantics."""

from datetime import date, time, timedelta
from types import SimpleNamespace

import pytest

from elections.services import election_create
from elections.windows import local_instant, resolve_local, window_bounds

from .conftest import FORTY_EIGHT_HOURS_ELAPSED, FORTY_EIGHT_HOURS_WALL_CLOCK, utc


def slovak_vote_on(day: date, rule: dict):
    return window_bounds(
        rule=SimpleNamespace(end_mode="polls_close", **rule),
        voting_days=[day],
        zone="Europe/Bratislava",
        polls_open=time(7),
        polls_close=time(22),
    )


def test_without_a_clock_change_both_readings_of_48_hours_agree():
    elapsed = slovak_vote_on(date(2023, 9, 30), FORTY_EIGHT_HOURS_ELAPSED)
    wall_clock = slovak_vote_on(date(2023, 9, 30), FORTY_EIGHT_HOURS_WALL_CLOCK)
    assert elapsed == wall_clock == (utc(2023, 9, 28, 5), utc(2023, 9, 30, 20))


def test_spring_forward_elapsed_hours_are_exactly_48():
    # Clocks go from 02:00 CET to 03:00 CEST on Sunday 31 March 2024; polls open 07:00 CEST.
    start, end = slovak_vote_on(date(2024, 3, 31), FORTY_EIGHT_HOURS_ELAPSED)
    polls_open = utc(2024, 3, 31, 5)
    assert polls_open - start == timedelta(hours=48)
    assert start == utc(2024, 3, 29, 5)  # Friday 06:00 CET on the local clock
    assert end == utc(2024, 3, 31, 20)


def test_spring_forward_wall_clock_is_47_utc_hours():
    start, _ = slovak_vote_on(date(2024, 3, 31), FORTY_EIGHT_HOURS_WALL_CLOCK)
    assert start == utc(2024, 3, 29, 6)  # Friday 07:00 CET, the same wall-clock time
    assert utc(2024, 3, 31, 5) - start == timedelta(hours=47)


def test_fall_back_elapsed_hours_are_exactly_48():
    # Clocks go from 03:00 CEST back to 02:00 CET on Sunday 27 October 2024; polls open 07:00 CET.
    start, _ = slovak_vote_on(date(2024, 10, 27), FORTY_EIGHT_HOURS_ELAPSED)
    assert start == utc(2024, 10, 25, 6)  # Friday 08:00 CEST on the local clock
    assert utc(2024, 10, 27, 6) - start == timedelta(hours=48)


def test_fall_back_wall_clock_is_49_utc_hours():
    start, _ = slovak_vote_on(date(2024, 10, 27), FORTY_EIGHT_HOURS_WALL_CLOCK)
    assert start == utc(2024, 10, 25, 5)  # Friday 07:00 CEST
    assert utc(2024, 10, 27, 6) - start == timedelta(hours=49)


def test_a_time_in_the_spring_gap_resolves_to_the_longer_window():
    # 02:30 never happens in Paris on 31 March 2024: a start takes the earlier reading, an end the later.
    assert local_instant(date(2024, 3, 31), time(2, 30), "Europe/Paris", edge="start") == utc(
        2024, 3, 31, 0, 30
    )
    assert local_instant(date(2024, 3, 31), time(2, 30), "Europe/Paris", edge="end") == utc(
        2024, 3, 31, 1, 30
    )


def test_a_time_in_the_autumn_fold_resolves_to_the_longer_window():
    # 02:30 happens twice in Paris on 27 October 2024 (CEST, then CET).
    assert local_instant(date(2024, 10, 27), time(2, 30), "Europe/Paris", edge="start") == utc(
        2024, 10, 27, 0, 30
    )
    assert local_instant(date(2024, 10, 27), time(2, 30), "Europe/Paris", edge="end") == utc(
        2024, 10, 27, 1, 30
    )


def test_a_wall_clock_start_landing_in_the_gap_is_deterministic():
    # Polls open 04:30 on Monday 1 April 2024; 48 wall-clock hours earlier is 02:30 on the 30th
    # in Paris: fine; 26 hours earlier lands in the gap (02:30 on the 31st) and takes the earlier reading.
    naive = resolve_local(
        local_instant(date(2024, 4, 1), time(4, 30), "Europe/Paris", edge="start").replace(tzinfo=None),
        "UTC",
        edge="start",
    )
    assert naive == utc(2024, 4, 1, 2, 30)
    start, _ = window_bounds(
        rule=SimpleNamespace(
            start_mode="hours_before_polls_open",
            start_hours=26,
            start_clock="wall_clock",
            end_mode="polls_close",
        ),
        voting_days=[date(2024, 4, 1)],
        zone="Europe/Paris",
        polls_open=time(4, 30),
        polls_close=time(20),
    )
    assert start == utc(2024, 3, 31, 0, 30)


@pytest.mark.django_db
def test_the_materialized_window_keeps_the_rule_clock(country_with_rule):
    country_with_rule("SK", ["Europe/Bratislava"], FORTY_EIGHT_HOURS_WALL_CLOCK)
    election = election_create(
        country="SK",
        name="Spring vote",
        kind="referendum",
        voting_days=[date(2024, 3, 31)],
        polls_open=time(7),
        polls_close=time(22),
    )
    window = election.windows.get()
    assert (window.start, window.end) == (utc(2024, 3, 29, 6), utc(2024, 3, 31, 20))
    assert window.computed_start == window.start
