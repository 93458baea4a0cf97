"""The calendar page: who is silent now and until when, what opens in the next 30 days, stale dates.

Slovakia votes tomorrow (so it is in its silence now, under the seeded rule); a referendum in
France is three weeks away with a date that is only expected (a window ahead, and a stale date).
"""

import re
from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from elections.models import DateStatus, Election
from elections.seed import seed_calendar
from elections.services import election_create

from .conftest import PASSWORD, login
from .test_workflow_in_browser import CHROMIUM, browser_page  # noqa: F401 - the shared fixture

CALENDAR = "/elections/"


@pytest.fixture
def seeded(transactional_db):
    """The seeded countries: a transactional test may start after another one flushed them."""
    seed_calendar(only_new=True)


@pytest.fixture
def calendar(db, sk_silence):
    paris_day = (timezone.now().astimezone(ZoneInfo("Europe/Paris")) + timedelta(days=21)).date()
    referendum = election_create(
        country="FR",
        name="French referendum (test)",
        kind="referendum",
        voting_days=[paris_day.isoformat()],
        polls_open=time(8),
        polls_close=time(20),
        source_urls=["https://example.org/fr"],
        notes="Best date: announced for three weeks from now.",
    )
    Election.objects.filter(pk=referendum.pk).update(status=DateStatus.EXPECTED)
    return {"sk": sk_silence, "fr": referendum}


def test_the_calendar_is_for_moderators_and_leads(client, charlie, calendar):
    assert client.get(CALENDAR).status_code == 302
    login(client, charlie)
    assert client.get(CALENDAR).status_code == 403


def test_slovakia_is_silent_now_with_its_rule_in_plain_words(client, alice, calendar):
    login(client, alice)

    html = client.get(CALENDAR).content.decode()

    silent = html[html.index('id="silent-now"') : html.index('id="windows-ahead"')]
    assert "Slovakia" in silent and "Slovak parliamentary election (test)" in silent
    weekday = (calendar["sk"].first_voting_day - timedelta(days=2)).strftime("%A")
    assert (
        f"from 00:00 {weekday} local time — 48 hours before election day — until polls close at 22:00"
        in silent
    )
    assert "181/2014" in silent or "Act" in silent  # the legal basis
    assert reverse("calendar-country", args=["SK"]) in silent


def test_a_window_ahead_counts_down_to_its_start_and_a_stale_date_is_flagged(client, alice, calendar):
    login(client, alice)

    html = client.get(CALENDAR).content.decode()

    ahead = html[html.index('id="windows-ahead"') : html.index('id="periods"')]
    assert "French referendum (test)" in ahead
    assert "from 00:00 Saturday local time" in ahead or "local time — 24 hours before election day" in ahead
    stale = html[html.index('id="stale"') : html.index('id="silent-now"')]
    assert "French referendum (test)" in stale and "unconfirmed" in stale


def test_the_page_takes_a_handful_of_queries(client, alice, calendar, django_assert_max_num_queries):
    login(client, alice)
    # +3 for the shared frame: the no-detector banner and the label-review permission lookups.
    with django_assert_max_num_queries(15):
        assert client.get(CALENDAR).status_code == 200


@pytest.mark.browser
@pytest.mark.skipif(not __import__("pathlib").Path(CHROMIUM).exists(), reason="needs Debian's chromium")
@pytest.mark.django_db(transaction=True)
def test_alice_reads_the_calendar_in_the_browser(live_server, alice, seeded, calendar, browser_page):  # noqa: F811
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("table#queue")
    page.click("nav >> text=Calendar")
    page.wait_for_selector("#silent-now")

    slovakia = page.locator("#silent-now tr.calendar-row[data-country=SK]")
    assert "48 hours before election day" in slovakia.inner_text()
    countdown = slovakia.locator("time.countdown")
    assert countdown.get_attribute("datetime")
    assert re.fullmatch(r"\d+ d \d+ h|\d+ h \d+ min|\d+ min", countdown.inner_text())
    assert page.locator("#stale li[data-country=FR]").is_visible()
    ics = page.locator("#silent-now a", has_text="SK.ics").get_attribute("href")
    response = page.request.get(f"{live_server.url}{ics}")
    assert response.ok and "BEGIN:VCALENDAR" in response.text()
