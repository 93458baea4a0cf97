"""The public iCalendar feeds: /calendar/<ISO>.ics and /calendar/all.ics."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse

from elections.models import Country, Person, SilenceRule
from elections.services import election_create, window_adjust

from .calendar_io import mexico_2024

UTC = dt.UTC
SK_2023 = "2023 Slovak parliamentary election"


@pytest.fixture
def slovakia(db):
    country = Country.objects.create(
        code="SK", name="Slovakia", time_zones=["Europe/Bratislava"], languages=["sk"]
    )
    SilenceRule.objects.create(
        country=country,
        start_mode="hours_before_polls_open",
        start_hours=48,
        end_mode="polls_close",
        legal_basis="Act No. 181/2014 on election campaigns",
        source_urls=["https://spectator.sme.sk/c/22334834"],
    )
    election_create(
        country="SK",
        name=SK_2023,
        kind="parliamentary",
        voting_days=[dt.date(2023, 9, 30)],
        polls_open=dt.time(7),
        polls_close=dt.time(22),
        source_urls=["https://volby.statistics.sk/nrsr/nrsr2023/en/"],
    )
    return country


@pytest.fixture
def mexico(db):
    return mexico_2024()


@pytest.fixture
def united_states(db):
    country = Country.objects.create(
        code="US",
        name="United States",
        time_zones=["America/New_York", "America/Los_Angeles"],
        languages=["en"],
        no_silence_note="Burson v. Freeman (1992): only small zones around polling places.",
    )
    election_create(
        country="US",
        name="2028 United States presidential election",
        kind="presidential",
        voting_days=[dt.date(2028, 11, 7)],
        polls_open=dt.time(6),
        polls_close=dt.time(20),
    )
    return country


def feed(client, url: str) -> tuple[icalendar.Calendar, dict[str, icalendar.Event]]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return calendar, {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def country_url(code: str, since: str | None = "2023-01-01") -> str:
    url = reverse("calendar-country", kwargs={"code": code})
    return f"{url}?since={since}" if since else url


def test_a_country_feed_lists_the_election_and_its_silence_window_in_utc(client, slovakia):
    election = slovakia.elections.get()
    window = election.windows.get()

    calendar, events = feed(client, country_url("SK"))

    assert str(calendar["X-WR-CALNAME"]) == "Moratorium: Slovakia elections"
    voting = events[SK_2023]
    assert str(voting["UID"]) == f"election-{election.pk}@moratorium"
    assert voting["DTSTART"].dt == dt.date(2023, 9, 30)
    assert voting["DTEND"].dt == dt.date(2023, 10, 1)  # all-day, DTEND exclusive
    assert "Parliamentary election, first round" in str(voting["DESCRIPTION"])
    assert "Polls: 07:00–22:00 local time" in str(voting["DESCRIPTION"])
    assert "https://volby.statistics.sk/nrsr/nrsr2023/en/" in str(voting["DESCRIPTION"])
    silence = events[f"Election silence: {SK_2023} (Europe/Bratislava)"]
    assert str(silence["UID"]) == f"window-{window.pk}@moratorium"
    assert silence["DTSTART"].dt == dt.datetime(2023, 9, 28, 5, 0, tzinfo=UTC)
    assert silence["DTEND"].dt == dt.datetime(2023, 9, 30, 20, 0, tzinfo=UTC)
    description = str(silence["DESCRIPTION"])
    assert "2023-09-28 07:00 CEST" in description
    assert "2023-09-30 22:00 CEST" in description
    assert "48 hours before polls open" in description
    assert "Act No. 181/2014" in description


def test_uids_stay_the_same_from_one_fetch_to_the_next(client, slovakia):
    _, first = feed(client, country_url("SK"))
    _, second = feed(client, country_url("SK"))

    assert {str(e["UID"]) for e in first.values()} == {str(e["UID"]) for e in second.values()}


def test_an_extended_window_shows_its_new_end_and_the_reason(client, slovakia):
    window = slovakia.elections.get().windows.get()
    window_adjust(
        window=window, new_end=window.end + dt.timedelta(minutes=40), reason="Voting extended in one station"
    )

    _, events = feed(client, country_url("SK"))

    silence = events[f"Election silence: {SK_2023} (Europe/Bratislava)"]
    assert silence["DTEND"].dt == dt.datetime(2023, 9, 30, 20, 40, tzinfo=UTC)
    assert "Voting extended in one station" in str(silence["DESCRIPTION"])


def test_a_country_spanning_zones_has_one_window_per_zone(client, mexico):
    _, events = feed(client, country_url("MX"))

    mexico_city = events["Election silence: 2024 Mexican general election (America/Mexico_City)"]
    tijuana = events["Election silence: 2024 Mexican general election (America/Tijuana)"]
    # From local midnight three days before the vote: 06:00 UTC in Mexico City, 07:00 in Tijuana (PDT).
    assert mexico_city["DTSTART"].dt == dt.datetime(2024, 5, 30, 6, 0, tzinfo=UTC)
    assert tijuana["DTSTART"].dt == dt.datetime(2024, 5, 30, 7, 0, tzinfo=UTC)
    assert mexico_city["UID"] != tijuana["UID"]


def test_a_phased_election_has_a_window_per_phase(client, db):
    india = Country.objects.create(
        code="IN", name="India", time_zones=["Asia/Kolkata"], languages=["hi", "en"]
    )
    SilenceRule.objects.create(
        country=india, start_mode="hours_before_polls_close", start_hours=48, end_mode="polls_close"
    )
    election_create(
        country="IN",
        name="2024 Indian general election",
        kind="general",
        voting_days=[dt.date(2024, 4, 19), dt.date(2024, 4, 26)],
        polls_open=dt.time(7),
        polls_close=dt.time(18),
        phases=[
            {"number": 1, "voting_days": ["2024-04-19"], "regions": ["IN-TN"]},
            {"number": 2, "voting_days": ["2024-04-26"], "regions": ["IN-KL"]},
        ],
    )

    _, events = feed(client, country_url("IN"))

    first = events["Election silence: 2024 Indian general election, phase 1 (Asia/Kolkata)"]
    second = events["Election silence: 2024 Indian general election, phase 2 (Asia/Kolkata)"]
    # The 48 hours ending at the close of poll, 18:00 IST (12:30 UTC), in each phase's areas.
    assert (first["DTSTART"].dt, first["DTEND"].dt) == (
        dt.datetime(2024, 4, 17, 12, 30, tzinfo=UTC),
        dt.datetime(2024, 4, 19, 12, 30, tzinfo=UTC),
    )
    assert second["DTSTART"].dt == dt.datetime(2024, 4, 24, 12, 30, tzinfo=UTC)
    assert "Regions: IN-TN" in str(first["DESCRIPTION"])
    voting = str(events["2024 Indian general election"]["DESCRIPTION"])
    assert "Phase 1: 2024-04-19 (IN-TN)" in voting
    assert "Phase 2: 2024-04-26 (IN-KL)" in voting


def test_a_country_without_silence_says_so_and_lists_only_elections(client, united_states):
    calendar, events = feed(client, country_url("US"))

    assert "no election-silence period" in str(calendar["X-WR-CALDESC"])
    assert "Burson v. Freeman" in str(calendar["X-WR-CALDESC"])
    assert list(events) == ["2028 United States presidential election"]
    assert "No election-silence period in United States" in str(
        events["2028 United States presidential election"]["DESCRIPTION"]
    )


def test_the_all_feed_takes_a_bounded_number_of_queries(
    client, slovakia, mexico, united_states, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        feed(client, reverse("calendar-all") + "?since=2023-01-01")


def test_the_all_feed_holds_every_country(client, slovakia, mexico, united_states):
    _, events = feed(client, reverse("calendar-all") + "?since=2023-01-01")

    countries = {str(event["X-MORATORIUM-COUNTRY"]) for event in events.values()}
    assert countries == {"SK", "MX", "US"}
    assert len(events) == 3 + 1 + 2  # three elections, SK's window, MX's two zones


def test_by_default_the_feed_starts_a_year_ago(client, slovakia, united_states):
    _, events = feed(client, reverse("calendar-all"))

    # The 2023 election and its window are more than a year old; the 2028 one is to come.
    assert list(events) == ["2028 United States presidential election"]


def test_since_keeps_windows_that_end_on_or_after_that_day(client, slovakia):
    _, events = feed(client, country_url("SK", since="2023-09-30"))
    assert len(events) == 2

    _, events = feed(client, country_url("SK", since="2023-10-01"))
    assert events == {}


def test_a_lower_case_code_works(client, slovakia):
    _, events = feed(client, country_url("sk"))

    assert SK_2023 in events


def test_an_unknown_country_is_404(client, slovakia):
    response = client.get(country_url("XX"))

    assert response.status_code == 404


@pytest.mark.parametrize("since", ["2023-13-01", "yesterday", "2023-9-1", "2023-09-01T00:00"])
def test_a_bad_since_is_400(client, slovakia, since):
    response = client.get(country_url("SK", since=since))

    assert response.status_code == 400
    assert b"since" in response.content


def test_the_feed_holds_no_person_data(client, slovakia):
    Person.objects.create(name="Michal Šimečka", aliases=["Michal Simecka"], country=slovakia)

    response = client.get(country_url("SK"))

    assert "Šimečka".encode() not in response.content
    assert b"Simecka" not in response.content


def test_feeds_can_be_closed_to_staff_only(client, slovakia, settings, django_user_model):
    settings.CALENDAR_FEEDS_PUBLIC = False
    assert client.get(country_url("SK")).status_code == 403

    staff = django_user_model.objects.create_user("alice", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get(country_url("SK")).status_code == 200


def test_only_get_is_allowed(client, slovakia):
    assert client.post(country_url("SK")).status_code == 405


@pytest.mark.seeded_calendar
@pytest.mark.django_db
def test_every_seeded_country_has_a_feed_that_parses(client):
    for country in Country.objects.all():
        feed(client, country_url(country.code, since="2022-01-01"))

    _, events = feed(client, reverse("calendar-all") + "?since=2022-01-01")

    elections = [e for e in events.values() if str(e["X-MORATORIUM-TYPE"]) == "election"]
    assert len(elections) >= 40
    assert f"Election silence: {SK_2023} (Europe/Bratislava)" in events
