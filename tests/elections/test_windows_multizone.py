"""Countries spanning several zones: one window per zone, local starts, and the two special ends."""

from datetime import date, time

from elections.services import election_create

from .conftest import FROM_MIDNIGHT_THE_DAY_BEFORE, FROM_MIDNIGHT_THREE_DAYS_BEFORE, utc


def windows_by_zone(election) -> dict[str, tuple]:
    return {window.time_zone: (window.start, window.end) for window in election.windows.all()}


def test_mexico_silences_each_zone_from_its_own_midnight_until_its_own_polls_close(country_with_rule):
    country_with_rule(
        "MX", ["America/Mexico_City", "America/Tijuana", "America/Cancun"], FROM_MIDNIGHT_THREE_DAYS_BEFORE
    )
    election = election_create(
        country="MX",
        name="2024 Mexican general election",
        kind="general",
        voting_days=[date(2024, 6, 2)],
        polls_open=time(8),
        polls_close=time(18),
    )
    assert windows_by_zone(election) == {
        "America/Mexico_City": (utc(2024, 5, 30, 6), utc(2024, 6, 3, 0)),  # UTC-6, no DST since 2022
        "America/Tijuana": (utc(2024, 5, 30, 7), utc(2024, 6, 3, 1)),  # PDT, UTC-7
        "America/Cancun": (utc(2024, 5, 30, 5), utc(2024, 6, 2, 23)),  # UTC-5
    }


def test_indonesia_masa_tenang_runs_three_local_days_before_voting(country_with_rule):
    country_with_rule(
        "ID",
        ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"],
        {
            **FROM_MIDNIGHT_THREE_DAYS_BEFORE,
            "end_mode": "local_time",
            "end_time": time(0),
            "end_day_offset": 0,
        },
    )
    election = election_create(
        country="ID",
        name="2024 Indonesian general election",
        kind="general",
        voting_days=[date(2024, 2, 14)],
        polls_open=time(7),
        polls_close=time(13),
    )
    assert windows_by_zone(election) == {
        "Asia/Jakarta": (utc(2024, 2, 10, 17), utc(2024, 2, 13, 17)),
        "Asia/Makassar": (utc(2024, 2, 10, 16), utc(2024, 2, 13, 16)),
        "Asia/Jayapura": (utc(2024, 2, 10, 15), utc(2024, 2, 13, 15)),
    }


def test_russia_starts_locally_and_ends_at_one_national_instant(country_with_rule):
    country_with_rule(
        "RU",
        ["Europe/Kaliningrad", "Europe/Moscow", "Asia/Kamchatka"],
        {
            **FROM_MIDNIGHT_THE_DAY_BEFORE,
            "end_mode": "national_instant",
            "end_time": time(21),
            "end_time_zone": "Europe/Moscow",
        },
    )
    election = election_create(
        country="RU",
        name="2024 Russian presidential election",
        kind="presidential",
        voting_days=[date(2024, 3, 15), date(2024, 3, 16), date(2024, 3, 17)],
        polls_open=time(8),
        polls_close=time(20),
    )
    national_end = utc(2024, 3, 17, 18)  # 21:00 Moscow on the last of the three voting days
    assert windows_by_zone(election) == {
        "Europe/Kaliningrad": (utc(2024, 3, 13, 22), national_end),
        "Europe/Moscow": (utc(2024, 3, 13, 21), national_end),
        "Asia/Kamchatka": (utc(2024, 3, 13, 12), national_end),
    }


def test_brazil_polls_keep_brasilia_time_while_the_day_starts_locally(country_with_rule):
    country_with_rule(
        "BR",
        ["America/Sao_Paulo", "America/Manaus", "America/Rio_Branco", "America/Noronha"],
        {
            "start_mode": "days_before_at_time",
            "start_days": 0,
            "start_time": time(0),
            "scope": "advertising",
            "covers_online": "partial",
        },
    )
    election = election_create(
        country="BR",
        name="2022 Brazilian general election",
        kind="general",
        voting_days=[date(2022, 10, 2)],
        polls_open=time(8),
        polls_close=time(17),
        polls_time_zone="America/Sao_Paulo",
    )
    close = utc(2022, 10, 2, 20)  # 17:00 Brasília everywhere, 15:00 in Acre
    assert windows_by_zone(election) == {
        "America/Sao_Paulo": (utc(2022, 10, 2, 3), close),
        "America/Manaus": (utc(2022, 10, 2, 4), close),
        "America/Rio_Branco": (utc(2022, 10, 2, 5), close),
        "America/Noronha": (utc(2022, 10, 2, 2), close),
    }
    assert {window.scope for window in election.windows.all()} == {"advertising"}


def test_a_regional_election_limits_windows_to_its_own_zones(country_with_rule):
    country_with_rule("MX", ["America/Mexico_City", "America/Tijuana"], FROM_MIDNIGHT_THREE_DAYS_BEFORE)
    election = election_create(
        country="MX",
        name="Baja California local election",
        kind="local",
        region="MX-BCN",
        voting_days=[date(2024, 6, 2)],
        polls_open=time(8),
        polls_close=time(18),
        time_zones=["America/Tijuana"],
    )
    window = election.windows.get()
    assert (window.time_zone, window.regions) == ("America/Tijuana", ["MX-BCN"])


def test_multi_day_voting_is_silent_from_before_the_first_day_to_the_close_of_the_last(country_with_rule):
    # Italy votes Sunday 07:00-23:00 and Monday 07:00-15:00.
    country_with_rule("IT", ["Europe/Rome"], FROM_MIDNIGHT_THE_DAY_BEFORE)
    election = election_create(
        country="IT",
        name="2022 Italian general election",
        kind="general",
        voting_days=[date(2022, 9, 25), date(2022, 9, 26)],
        polls_open=time(7),
        polls_close=time(15),
    )
    assert windows_by_zone(election) == {"Europe/Rome": (utc(2022, 9, 23, 22), utc(2022, 9, 26, 13))}


def test_polls_closing_after_midnight_end_the_silence_the_next_day(country_with_rule):
    country_with_rule("SK", ["Europe/Bratislava"], FROM_MIDNIGHT_THE_DAY_BEFORE)
    election = election_create(
        country="SK",
        name="Late vote",
        kind="local",
        voting_days=[date(2024, 6, 8)],
        polls_open=time(7),
        polls_close=time(1),
        polls_close_next_day=True,
    )
    assert windows_by_zone(election) == {"Europe/Bratislava": (utc(2024, 6, 6, 22), utc(2024, 6, 8, 23))}


def test_pakistan_silence_ends_at_the_midnight_ending_polling_day(country_with_rule):
    country_with_rule(
        "PK",
        ["Asia/Karachi"],
        {**FROM_MIDNIGHT_THE_DAY_BEFORE, "end_mode": "local_time", "end_time": time(0), "end_day_offset": 1},
    )
    election = election_create(
        country="PK",
        name="2024 Pakistani general election",
        kind="general",
        voting_days=[date(2024, 2, 8)],
        polls_open=time(8),
        polls_close=time(17),
    )
    assert windows_by_zone(election) == {"Asia/Karachi": (utc(2024, 2, 6, 19), utc(2024, 2, 8, 19))}
