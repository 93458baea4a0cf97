"""Run-offs get their own windows; phased elections get windows per phase, limited to the phase's regions."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from elections.models import ElectionPhase
from elections.selectors import silence_window_active
from elections.services import election_create

from .conftest import FROM_MIDNIGHT_THE_DAY_BEFORE, utc

INDIA_48_HOURS_BEFORE_CLOSE = {"start_mode": "hours_before_polls_close", "start_hours": 48}


def french_round(round_: str, day: date):
    return election_create(
        country="FR",
        name="2022 French presidential election",
        kind="presidential",
        round=round_,
        voting_days=[day],
        polls_open=time(8),
        polls_close=time(20),
    )


def test_a_runoff_gets_its_own_window_under_the_same_rule(country_with_rule):
    country_with_rule("FR", ["Europe/Paris"], FROM_MIDNIGHT_THE_DAY_BEFORE)
    first = french_round("first", date(2022, 4, 10))
    runoff = french_round("runoff", date(2022, 4, 24))
    assert [(w.start, w.end) for w in first.windows.all()] == [(utc(2022, 4, 8, 22), utc(2022, 4, 10, 18))]
    assert [(w.start, w.end) for w in runoff.windows.all()] == [(utc(2022, 4, 22, 22), utc(2022, 4, 24, 18))]
    assert silence_window_active(country="FR", at=utc(2022, 4, 16, 12)) is None  # campaigning between rounds
    assert silence_window_active(country="FR", at=utc(2022, 4, 23, 12)).election == runoff


def test_a_runoff_on_the_first_rounds_day_is_refused(country_with_rule):
    country_with_rule("FR", ["Europe/Paris"], FROM_MIDNIGHT_THE_DAY_BEFORE)
    french_round("first", date(2022, 4, 10))
    with pytest.raises(ValidationError) as caught:
        french_round("runoff", date(2022, 4, 10))
    assert "Overlaps 2022 French presidential election" in caught.value.message_dict["voting_days"][0]


def indian_election():
    return election_create(
        country="IN",
        name="2024 Indian general election",
        kind="general",
        voting_days=[date(2024, 4, 19), date(2024, 4, 26)],
        polls_open=time(7),
        polls_close=time(18),
        phases=[
            {"number": 1, "voting_days": [date(2024, 4, 19)], "regions": ["IN-TN"]},
            {"number": 2, "voting_days": ["2024-04-26"], "regions": ["IN-KL", "IN-KA"]},
        ],
    )


def test_each_phase_is_silent_for_48_hours_ending_at_its_close_of_poll(country_with_rule):
    country_with_rule("IN", ["Asia/Kolkata"], INDIA_48_HOURS_BEFORE_CLOSE)
    election = indian_election()
    windows = {w.phase.number: (w.regions, w.start, w.end) for w in election.windows.select_related("phase")}
    assert windows == {
        1: (["IN-TN"], utc(2024, 4, 17, 12, 30), utc(2024, 4, 19, 12, 30)),
        2: (["IN-KL", "IN-KA"], utc(2024, 4, 24, 12, 30), utc(2024, 4, 26, 12, 30)),
    }


def test_one_state_is_silent_while_another_campaigns(country_with_rule):
    country_with_rule("IN", ["Asia/Kolkata"], INDIA_48_HOURS_BEFORE_CLOSE)
    indian_election()
    during_phase_one_silence = utc(2024, 4, 18, 6)
    assert silence_window_active(country="IN", region="IN-TN", at=during_phase_one_silence).phase.number == 1
    assert silence_window_active(country="IN", region="IN-KL", at=during_phase_one_silence) is None
    # Audience region unknown: the cautious answer is "silent somewhere in India".
    assert silence_window_active(country="IN", at=during_phase_one_silence).regions == ["IN-TN"]
    assert silence_window_active(country="IN", region="", at=during_phase_one_silence).regions == ["IN-TN"]


def test_adding_a_phase_adds_its_windows(country_with_rule):
    country_with_rule("IN", ["Asia/Kolkata"], INDIA_48_HOURS_BEFORE_CLOSE)
    election = indian_election()
    election.voting_days = [*election.voting_days, "2024-05-07"]
    election.save()
    ElectionPhase.objects.create(election=election, number=3, voting_days=["2024-05-07"], regions=["IN-GJ"])
    assert sorted(w.phase.number for w in election.windows.all()) == [1, 2, 3]


def test_a_phase_voting_outside_the_elections_days_is_refused(country_with_rule):
    country_with_rule("IN", ["Asia/Kolkata"], INDIA_48_HOURS_BEFORE_CLOSE)
    with pytest.raises(ValidationError) as caught:
        election_create(
            country="IN",
            name="Phased",
            kind="general",
            voting_days=[date(2024, 4, 19)],
            polls_open=time(7),
            polls_close=time(18),
            phases=[{"number": 1, "voting_days": ["2024-04-20"], "regions": ["IN-TN"]}],
        )
    assert caught.value.message_dict["phases"] == [
        "Phase 1: 2024-04-20 is not one of the election's voting days."
    ]


@pytest.mark.django_db(transaction=True)
def test_deleting_a_phased_election_takes_its_windows_and_commits(country_with_rule):
    # Phases go before their election; their delete signal must not re-create windows for it.
    country_with_rule("IN", ["Asia/Kolkata"], INDIA_48_HOURS_BEFORE_CLOSE)
    election = indian_election()
    election.delete()
    assert not ElectionPhase.objects.exists()
    assert silence_window_active(country="IN", at=utc(2024, 4, 18, 6)) is None
