"""Windows follow every change of the election, its phases, its country's zones and its rule."""

from datetime import date, time

from elections.models import Country, SilenceRule, SilenceWindow
from elections.services import election_create, silence_rule_delete, silence_rule_save

from .conftest import FORTY_EIGHT_HOURS_ELAPSED, utc


def make_vote(country_with_rule):
    country_with_rule("SK", ["Europe/Bratislava"], FORTY_EIGHT_HOURS_ELAPSED)
    return election_create(
        country="SK",
        name="2023 Slovak parliamentary election",
        kind="parliamentary",
        voting_days=[date(2023, 9, 30)],
        polls_open=time(7),
        polls_close=time(22),
    )


def test_a_rule_change_through_the_service_moves_the_windows(country_with_rule):
    election = make_vote(country_with_rule)
    window_id = election.windows.get().pk
    silence_rule_save(country="SK", start_hours=24)
    window = election.windows.get()
    assert (window.pk, window.start) == (window_id, utc(2023, 9, 29, 5))


def test_a_rule_saved_directly_moves_the_windows_too(country_with_rule):
    election = make_vote(country_with_rule)
    rule = SilenceRule.objects.get(country_id="SK")
    rule.start_hours = 30
    rule.save()
    assert election.windows.get().start == utc(2023, 9, 28, 23)


def test_an_election_saved_directly_is_recomputed(country_with_rule):
    election = make_vote(country_with_rule)
    election.voting_days = ["2023-10-07"]
    election.save()
    assert election.windows.get().end == utc(2023, 10, 7, 20)


def test_removing_the_rule_removes_the_windows(country_with_rule):
    election = make_vote(country_with_rule)
    silence_rule_delete(country="SK")
    assert not election.windows.exists()
    election_with_rule_deleted_directly = make_vote(country_with_rule)
    SilenceRule.objects.filter(country_id="SK").get().delete()
    assert not SilenceWindow.objects.filter(election=election_with_rule_deleted_directly).exists()


def test_a_new_zone_for_the_country_gets_its_own_window(country_with_rule):
    election = make_vote(country_with_rule)
    country = Country.objects.get(code="SK")
    country.time_zones = ["Europe/Bratislava", "Atlantic/Canary"]
    country.save()
    assert sorted(election.windows.values_list("time_zone", flat=True)) == [
        "Atlantic/Canary",
        "Europe/Bratislava",
    ]
