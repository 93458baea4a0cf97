"""The calendar admin: every page renders, silence is visible at a glance, bad input is a field error."""

from datetime import date, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from elections.models import Election, ElectionPhase, SilenceWindow, WindowAdjustment
from elections.services import election_create

from .conftest import FORTY_EIGHT_HOURS_ELAPSED

# The management form of the read-only adjustments inline, as the browser sends it.
NO_NEW_ADJUSTMENTS = {"adjustments-TOTAL_FORMS": "0", "adjustments-INITIAL_FORMS": "0"}


@pytest.fixture
def operator(client, db):
    user = get_user_model().objects.create_superuser("olga", "olga@example.org", "not-used-here")
    client.force_login(user)
    return user


@pytest.fixture
def slovak_vote_today(country_with_rule):
    """An election whose silence is in force right now (polls close tomorrow)."""
    country_with_rule("SK", ["Europe/Bratislava"], FORTY_EIGHT_HOURS_ELAPSED, name="Slovakia")
    tomorrow = timezone.localdate() + timedelta(days=1)
    return election_create(
        country="SK",
        name="Slovak vote",
        kind="parliamentary",
        voting_days=[tomorrow],
        polls_open=time(7),
        polls_close=time(22),
    )


@pytest.mark.parametrize(
    "model",
    [
        "country",
        "silencerule",
        "election",
        "silencewindow",
        "windowadjustment",
        "person",
        "authorizedlikeness",
    ],
)
def test_every_changelist_renders(client, operator, slovak_vote_today, model):
    response = client.get(reverse(f"admin:elections_{model}_changelist"), {"q": "slov"})
    assert response.status_code == 200


def test_countries_in_silence_now_are_flagged_and_filterable(
    client, operator, slovak_vote_today, country_with_rule
):
    country_with_rule("US", ["America/New_York"], None, name="United States")
    page = client.get(reverse("admin:elections_country_changelist"), {"silence": "now"}).content.decode()
    assert "Slovakia" in page and "United States" not in page
    page = client.get(reverse("admin:elections_country_changelist"), {"rule": "no"}).content.decode()
    assert "No silence period." in page and "Slovakia" not in page


def test_windows_show_local_times(client, operator, slovak_vote_today):
    page = client.get(
        reverse("admin:elections_silencewindow_changelist"), {"silence": "now"}
    ).content.decode()
    assert "Slovak vote" in page
    assert "22:00 CE" in page  # polls close 22:00 local (CET or CEST)


def test_an_operator_extends_a_window_with_a_reason(client, operator, slovak_vote_today):
    window = slovak_vote_today.windows.get()
    tomorrow = slovak_vote_today.first_voting_day
    response = client.post(
        reverse("admin:elections_silencewindow_change", args=[window.pk]),
        {
            "new_end_local": f"{tomorrow} 22:40",
            "reason": "One station closed 40 minutes late.",
            **NO_NEW_ADJUSTMENTS,
        },
    )
    assert response.status_code == 302
    adjustment = WindowAdjustment.objects.get()
    assert (adjustment.new_end - adjustment.previous_end, adjustment.made_by) == (
        timedelta(minutes=40),
        operator,
    )
    page = client.get(reverse("admin:elections_silencewindow_change", args=[window.pk])).content.decode()
    assert "One station closed 40 minutes late." in page


def test_an_adjustment_without_a_reason_is_a_field_error(client, operator, slovak_vote_today):
    window = slovak_vote_today.windows.get()
    response = client.post(
        reverse("admin:elections_silencewindow_change", args=[window.pk]),
        {"new_end_local": f"{slovak_vote_today.first_voting_day} 22:40", "reason": "", **NO_NEW_ADJUSTMENTS},
    )
    assert response.status_code == 200
    assert "Give the reason for the change" in response.content.decode()
    assert not WindowAdjustment.objects.exists()


def test_windows_and_their_audit_trail_cannot_be_deleted(client, operator, slovak_vote_today):
    window = slovak_vote_today.windows.get()
    assert (
        client.post(
            reverse("admin:elections_silencewindow_delete", args=[window.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert SilenceWindow.objects.filter(pk=window.pk).exists()


def election_form(country, **changes) -> dict:
    data = {
        "country": country.pk,
        "name": "Municipal vote",
        "kind": "local",
        "round": "first",
        "region": "",
        "constituencies": "",
        "voting_days": "2026-12-12",
        "polls_open": "07:00",
        "polls_close": "20:00",
        "polls_time_zone": "",
        "time_zones": "",
        "source_urls": "https://example.org/notice",
        "notes": "",
        "status": "scheduled",
        "phases-TOTAL_FORMS": "0",
        "phases-INITIAL_FORMS": "0",
        "windows-TOTAL_FORMS": "0",
        "windows-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def test_an_election_added_in_the_admin_gets_its_window(client, operator, slovak_vote_today):
    response = client.post(reverse("admin:elections_election_add"), election_form(slovak_vote_today.country))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Election.objects.get(name="Municipal vote").windows.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"polls_open": "20:00", "polls_close": "07:00"}, "Polls close (07:00) before they open (20:00)"),
        ({"time_zones": "Europe/Atlantis"}, "Unknown time zone &#x27;Europe/Atlantis&#x27;"),
        ({"voting_days": "2026-12-13; 2026-12-12"}, "List the voting days in ascending order."),
        ({"voting_days": "12.12.2026"}, "Enter ISO dates (YYYY-MM-DD) separated by semicolons."),
    ],
)
def test_bad_elections_are_field_errors_not_500s(client, operator, slovak_vote_today, changes, message):
    response = client.post(
        reverse("admin:elections_election_add"), election_form(slovak_vote_today.country, **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Election.objects.filter(name="Municipal vote").exists()


def test_phases_are_edited_inline_and_checked_against_the_voting_days(client, operator, country_with_rule):
    india = country_with_rule(
        "IN", ["Asia/Kolkata"], {"start_mode": "hours_before_polls_close", "start_hours": 48}
    )
    form = election_form(
        india,
        voting_days="2026-12-12; 2026-12-19",
        **{
            "phases-TOTAL_FORMS": "2",
            "phases-0-number": "1",
            "phases-0-voting_days": "2026-12-12",
            "phases-0-regions": "IN-TN",
            "phases-0-constituencies": "",
            "phases-1-number": "2",
            "phases-1-voting_days": "2026-12-20",
            "phases-1-regions": "IN-KL",
            "phases-1-constituencies": "",
        },
    )
    response = client.post(reverse("admin:elections_election_add"), form)
    assert response.status_code == 200
    assert "2026-12-20 is not one of the election&#x27;s voting days." in response.content.decode()
    form["phases-1-voting_days"] = "2026-12-19"
    assert client.post(reverse("admin:elections_election_add"), form).status_code == 302
    election = Election.objects.get(name="Municipal vote")
    assert ElectionPhase.objects.filter(election=election).count() == 2
    assert sorted(w.regions[0] for w in election.windows.all()) == ["IN-KL", "IN-TN"]


def test_a_rule_change_in_the_admin_recomputes_the_windows(client, operator, slovak_vote_today):
    rule = slovak_vote_today.country.silence_rule
    window = slovak_vote_today.windows.get()
    data = {
        "country": "SK",
        "scope": "full",
        "start_mode": "hours_before_polls_open",
        "start_hours": "24",
        "start_clock": "elapsed",
        "start_days": "",
        "start_time": "",
        "end_mode": "polls_close",
        "end_time": "",
        "end_day_offset": "0",
        "end_time_zone": "",
        "covers_online": "yes",
        "legal_basis": "",
        "source_urls": "https://example.org/law",
        "notes": "",
    }
    response = client.post(reverse("admin:elections_silencerule_change", args=[rule.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    window.refresh_from_db()
    assert window.end - window.start == timedelta(hours=24 + 15)
    data["start_hours"] = ""
    response = client.post(reverse("admin:elections_silencerule_change", args=[rule.pk]), data)
    assert response.status_code == 200
    assert "Enter how many hours before" in response.content.decode()


def test_a_date_is_what_an_election_stores(slovak_vote_today):
    assert slovak_vote_today.first_voting_day == timezone.localdate() + timedelta(days=1)
    assert isinstance(slovak_vote_today.first_voting_day, date)
