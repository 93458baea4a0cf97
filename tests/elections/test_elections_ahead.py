"""The elections ahead (issue 15): the seeded calendar looks forward, not only back.

The seed files hold the national elections from 3 December 2026 to the end of 2028, each with
its sources and a status: `scheduled` (the date is fixed) or `expected` (due by law; the voting
days are the best estimate and the notes say so). The month coverage test runs against the real
clock: when it fails, the calendar needs its next years researched (docs/seed-data.md).
"""

import json
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from elections.models import Country, DateStatus, Election
from elections.seed import seed_calendar

DATA = Path(__file__).resolve().parents[2] / "elections" / "data"
COUNTRIES = {c["code"]: c for c in json.loads((DATA / "countries.json").read_text(encoding="utf-8"))}
ELECTIONS = json.loads((DATA / "elections.json").read_text(encoding="utf-8"))
HORIZON_START = date(2026, 12, 3)  # the day the elections ahead were researched

EU = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
}  # fmt: skip
# Democracies with silence periods, by region, that the issue asks for.
REGIONS = {
    "Balkans": {"AL", "BA", "ME", "MK", "RS"},
    "Caucasus": {"GE", "AM"},
    "Latin America": {"AR", "BR", "MX", "DO", "EC", "GT", "PY"},
    "Africa": {"NG", "KE", "GH", "GM", "SN"},
    "Asia": {"IN", "ID", "PH", "SG", "LK", "NP", "PK", "KR", "JP", "TW", "TL"},
}


def ahead(items=ELECTIONS):
    return [e for e in items if date.fromisoformat(e["voting_days"][0]) >= HORIZON_START]


def months_after(today: date, count: int) -> list[tuple[int, int]]:
    """The `count` calendar months after today's month, as (year, month)."""
    months, year, month = [], today.year, today.month
    for _ in range(count):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        months.append((year, month))
    return months


def test_at_least_forty_national_elections_are_seeded_ahead_to_the_end_of_2028():
    elections = ahead()
    assert len(elections) >= 40
    assert all(date.fromisoformat(e["voting_days"][-1]) <= date(2028, 12, 31) for e in elections)
    assert sum(e["round"] == "runoff" for e in elections) >= 10, "expected run-offs are seeded too"


@pytest.mark.parametrize("item", ahead(), ids=lambda e: e["name"])
def test_an_election_ahead_has_sources_and_a_status_that_says_how_sure_its_date_is(item):
    assert [url for url in item["source_urls"] if url.startswith("https://")]
    assert item["status"] in {"scheduled", "expected"}
    if item["status"] == "expected":
        assert "best date" in item["notes"].lower(), "an expected date says it is the best estimate"
    else:
        assert any(word in item["notes"] for word in ("fixed", "INEC", "IEC", "timetable")), (
            "a scheduled date says who or what fixed it"
        )


def test_there_are_at_least_sixty_countries_with_every_eu_member_state():
    assert len(COUNTRIES) >= 60
    assert set(COUNTRIES) >= EU
    for region, codes in REGIONS.items():
        missing = codes - set(COUNTRIES)
        assert not missing, f"{region}: {missing}"
        assert all(COUNTRIES[code]["silence_rule"] for code in codes), region


@pytest.mark.parametrize("code", sorted(COUNTRIES), ids=str)
def test_every_country_has_a_researched_rule_or_says_why_it_has_none(code):
    country = COUNTRIES[code]
    rule = country["silence_rule"]
    if rule is None:
        assert country["no_silence_note"].strip() and country["no_silence_sources"]
        return
    assert rule["legal_basis"].strip()
    assert [url for url in rule["source_urls"] if url.startswith("https://")]
    assert rule["scope"] in {"full", "advertising", "broadcast"}
    assert rule["covers_online"] in {"yes", "partial", "no", "uncertain"}
    if "Not confirmed by a search result" in rule["notes"]:
        assert rule["uncertain"], "a rule recalled from memory is marked uncertain"


@pytest.mark.django_db
@pytest.mark.seeded_calendar
def test_the_seeded_calendar_has_an_election_in_each_of_the_next_twelve_months():
    today = timezone.localdate()
    months = {(e.first_voting_day.year, e.first_voting_day.month) for e in Election.objects.all()}
    empty = [f"{year}-{month:02d}" for year, month in months_after(today, 12) if (year, month) not in months]
    assert not empty, f"no election seeded in {empty}: research the next elections (docs/seed-data.md)"


@pytest.mark.django_db
@pytest.mark.seeded_calendar
def test_each_seeded_future_election_has_sources_and_a_status():
    future = Election.objects.filter(first_voting_day__gte=timezone.localdate())
    assert future.count() >= 40
    for election in future:
        assert election.source_urls, election.name
        assert election.status in DateStatus.values, election.name
    assert future.filter(status=DateStatus.EXPECTED).exists()
    assert future.filter(status=DateStatus.SCHEDULED).exists()


@pytest.mark.django_db
@pytest.mark.seeded_calendar
def test_loading_only_new_entries_leaves_what_operators_changed_alone():
    election = Election.objects.get(name="2027 French presidential election")
    Election.objects.filter(pk=election.pk).update(notes="Checked by election ops.")
    Election.objects.filter(name="2027 Kenyan general election").delete()
    Country.objects.filter(code="FI").update(name="Suomi")

    result = seed_calendar(only_new=True)

    assert Election.objects.get(pk=election.pk).notes == "Checked by election ops."
    assert Country.objects.get(code="FI").name == "Suomi"
    kenya = Election.objects.get(name="2027 Kenyan general election")
    assert kenya.status == DateStatus.SCHEDULED and kenya.windows.count() == 1
    assert result.elections == 1
