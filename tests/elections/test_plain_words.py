"""Rules in plain words with their numbers (the calendar page) and in short form (the admin lists)."""

import re
from datetime import time
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from elections.plain import rule_in_words, rule_short

from .conftest import FROM_MIDNIGHT_THE_DAY_BEFORE


def rule(**fields):
    base = {
        "scope": "full",
        "start_mode": "days_before_at_time",
        "start_hours": None,
        "start_days": 1,
        "start_time": time(0),
        "end_mode": "polls_close",
        "end_time": None,
        "end_day_offset": 0,
        "end_time_zone": "",
        "covers_online": "yes",
        "uncertain": False,
    }
    return SimpleNamespace(**{**base, **fields})


def election(days, polls_open=time(7), polls_close=time(22)):
    return SimpleNamespace(voting_days=days, polls_open=polls_open, polls_close=polls_close)


SLOVAKIA_2023 = election(["2023-09-30"])


@pytest.mark.parametrize(
    "the_rule, the_election, words",
    [
        (  # Slovakia: the example
            rule(start_days=2),
            SLOVAKIA_2023,
            "from 00:00 Thursday local time — 48 hours before election day — until polls close at 22:00",
        ),
        (  # Türkiye: 18:00 the day before, until 18:00 on election day
            rule(start_time=time(18), end_mode="local_time", end_time=time(18)),
            election(["2023-05-14"], time(8), time(17)),
            "from 18:00 Saturday local time — 6 hours before election day "
            "— until 18:00 local time on election day",
        ),
        (  # Bosnia and Herzegovina: 24 h before the polls open
            rule(start_mode="hours_before_polls_open", start_hours=24, start_days=None, start_time=None),
            election(["2022-10-02"], time(7), time(19)),
            "from 07:00 Saturday local time — 24 hours before polls open at 07:00 "
            "— until polls close at 19:00",
        ),
        (  # India: the 48 hours ending with the close of the poll
            rule(start_mode="hours_before_polls_close", start_hours=48, start_days=None, start_time=None),
            election(["2024-04-19"], time(7), time(18)),
            "from 18:00 Wednesday local time — 48 hours before polls close at 18:00 "
            "— until polls close at 18:00",
        ),
        (  # Russia: one national instant, three voting days
            rule(end_mode="national_instant", end_time=time(21), end_time_zone="Europe/Moscow"),
            election(["2024-03-15", "2024-03-16", "2024-03-17"], time(8), time(20)),
            "from 00:00 Thursday local time — 24 hours before election day — "
            "until 21:00 Europe/Moscow time on the last voting day, everywhere at once",
        ),
        (  # Brazil: on election day
            rule(start_days=0),
            election(["2022-10-02"], time(8), time(17)),
            "from 00:00 Sunday local time — on election day — until polls close at 17:00",
        ),
        (  # The Philippines: the eve and the day
            rule(end_mode="local_time", end_time=time(0), end_day_offset=1),
            election(["2025-05-12"], time(5), time(19)),
            "from 00:00 Sunday local time — 24 hours before election day "
            "— until midnight at the end of election day",
        ),
        (  # Czech two-day vote, generic rule: the close is on the last day
            rule(),
            election(["2023-01-13", "2023-01-14"], time(14), time(14)),
            "from 00:00 Thursday local time — 24 hours before election day "
            "— until polls close at 14:00 on Saturday",
        ),
    ],
)
def test_a_rule_in_plain_words_says_its_days_and_hours(the_rule, the_election, words):
    assert rule_in_words(the_rule, the_election) == words


def test_without_an_election_the_words_are_generic():
    assert rule_in_words(rule(start_days=2)) == (
        "from 00:00 2 days before election day — 48 hours before election day — until polls close"
    )
    assert rule_in_words(None) == "No silence period."


@pytest.mark.parametrize(
    "the_rule, short",
    [
        (rule(start_days=2), "E−2 00:00 → polls close"),
        (rule(start_days=0, scope="advertising"), "E 00:00 → polls close [ads]"),
        (rule(end_mode="local_time", end_time=time(20)), "E−1 00:00 → 20:00"),
        (
            rule(end_mode="local_time", end_time=time(0), end_day_offset=1, uncertain=True),
            "E−1 00:00 → 24:00 ⚠",
        ),
        (
            rule(start_mode="hours_before_polls_open", start_hours=48, start_days=None, start_time=None),
            "48 h before polls open → polls close",
        ),
        (
            rule(end_mode="national_instant", end_time=time(21), end_time_zone="Europe/Moscow"),
            "E−1 00:00 → 21:00 Europe/Moscow",
        ),
        (None, "none"),
    ],
)
def test_the_short_form_fits_a_list_column(the_rule, short):
    assert rule_short(the_rule) == short


@pytest.mark.django_db
def test_the_admin_lists_fit_a_laptop_screen(client, country_with_rule):
    from elections.services import election_create

    country_with_rule("IN", ["Asia/Kolkata"], FROM_MIDNIGHT_THE_DAY_BEFORE)
    election_create(
        country="IN",
        name="Phased vote",
        kind="general",
        voting_days=["2024-04-19"],
        polls_open=time(7),
        polls_close=time(18),
        phases=[
            {
                "number": 1,
                "voting_days": ["2024-04-19"],
                "regions": ["IN-TN", "IN-KL", "IN-KA", "IN-GA", "IN-MH"],
            }
        ],
        source_urls=["https://example.org/eci"],
    )
    user = get_user_model().objects.create_superuser("olga", "olga@example.org", "not-used-here")
    client.force_login(user)

    countries = client.get(reverse("admin:elections_country_changelist")).content.decode()
    assert "E−1 00:00 → polls close" in countries
    assert "days_before_at_time" not in countries and "Days before" not in countries

    windows = client.get(reverse("admin:elections_silencewindow_changelist")).content.decode()
    columns = re.findall(r"column-([a-z_]+)", windows)
    assert columns[:2] == ["start", "end"]
    assert columns.index("election") < columns.index("region_list")
    assert "IN-TN, IN-KL, IN-KA +2" in windows
