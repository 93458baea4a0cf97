"""The seed loader: countries, rules and elections from JSON, with their windows, all or nothing."""

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from elections.models import Country, Election, SilenceRule, SilenceWindow
from elections.seed import SeedError, seed_calendar

FIXTURES = Path(__file__).resolve().parent / "fixtures"
COUNTRIES = FIXTURES / "seed_countries.json"
ELECTIONS = FIXTURES / "seed_elections.json"


def local_window(window) -> dict:
    zone = ZoneInfo(window.time_zone)
    return {
        "time_zone": window.time_zone,
        "start": window.computed_start.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        "end": window.computed_end.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
    }


@pytest.mark.django_db
def test_the_loader_materializes_each_elections_expected_window():
    result = seed_calendar(countries_path=COUNTRIES, elections_path=ELECTIONS)
    assert (result.countries, result.rules, result.elections) == (4, 3, 4)
    for item in json.loads(ELECTIONS.read_text()):
        election = Election.objects.get(country_id=item["country"], name=item["name"])
        expected = item["expected_silence"]
        if expected is None:
            assert not election.windows.exists()
        else:
            assert expected in [local_window(window) for window in election.windows.all()]


@pytest.mark.django_db
def test_a_country_without_a_rule_says_why():
    seed_calendar(countries_path=COUNTRIES, elections_path=ELECTIONS)
    united_states = Country.objects.get(code="US")
    assert not SilenceRule.objects.filter(country=united_states).exists()
    assert "Burson v. Freeman" in united_states.no_silence_note


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    seed_calendar(countries_path=COUNTRIES, elections_path=ELECTIONS)
    windows = sorted(SilenceWindow.objects.values_list("pk", "start", "end"))
    seed_calendar(countries_path=COUNTRIES, elections_path=ELECTIONS)
    assert Election.objects.count() == 4
    assert sorted(SilenceWindow.objects.values_list("pk", "start", "end")) == windows


@pytest.mark.django_db
def test_a_bad_entry_names_itself_and_loads_nothing(tmp_path):
    elections = json.loads(ELECTIONS.read_text())
    elections[2]["polls_open"] = "8 o'clock"
    bad = tmp_path / "elections.json"
    bad.write_text(json.dumps(elections))
    with pytest.raises(SeedError) as caught:
        seed_calendar(countries_path=COUNTRIES, elections_path=bad)
    assert str(caught.value) == (
        "elections.json entry 3 (2024 Russian presidential election): "
        'polls_open: "8 o\'clock" is not a time (HH:MM).'
    )
    assert not Country.objects.exists()


@pytest.mark.django_db
def test_a_rule_missing_its_hours_is_refused(tmp_path):
    countries = json.loads(COUNTRIES.read_text())
    countries[0]["silence_rule"]["start_hours"] = None
    bad = tmp_path / "countries.json"
    bad.write_text(json.dumps(countries))
    with pytest.raises(
        SeedError, match=r"countries.json entry 1 \(SK\): silence_rule.start_hours: Enter how many"
    ):
        seed_calendar(countries_path=bad, elections_path=ELECTIONS)


@pytest.mark.django_db
def test_missing_files_load_nothing(tmp_path):
    result = seed_calendar(countries_path=tmp_path / "none.json", elections_path=tmp_path / "none.json")
    assert (result.countries, result.elections) == (0, 0)
