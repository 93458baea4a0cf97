"""Confirming or moving an expected election date: command, admin action, windows, audit, staleness."""

from datetime import date, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from elections.dates import election_date_confirm, election_date_confirmed, elections_awaiting_confirmation
from elections.models import DateStatus, Election
from elections.services import election_create
from triage.audit.models import AuditEvent

from .conftest import FROM_MIDNIGHT_THE_DAY_BEFORE, utc

pytestmark = pytest.mark.django_db


def expected_election(country="FR", day="2027-04-11", name="2027 French presidential election", **extra):
    election = election_create(
        country=country,
        name=name,
        kind=extra.pop("kind", "presidential"),
        voting_days=[day],
        polls_open=time(8),
        polls_close=time(20),
        source_urls=["https://example.org/term-ends"],
        notes="Best date: the term ends on 13 May 2027.",
        **extra,
    )
    Election.objects.filter(pk=election.pk).update(status=DateStatus.EXPECTED)
    election.refresh_from_db()
    return election


@pytest.fixture
def france(country_with_rule):
    return country_with_rule("FR", ["Europe/Paris"], FROM_MIDNIGHT_THE_DAY_BEFORE)


def test_the_command_confirms_an_expected_date_and_audits_it(france):
    election = expected_election()

    call_command("confirm_election_date", str(election.pk), reason="Decree of 2 December 2026")

    election.refresh_from_db()
    assert election.status == DateStatus.SCHEDULED and election.date_confirmed_at is not None
    event = AuditEvent.objects.get(action="election.date_confirmed")
    assert event.actor_kind == "operator"
    assert event.inputs["election_id"] == election.pk
    assert event.inputs["reason"] == "Decree of 2 December 2026"
    assert event.outcome["voting_days"] == ["2027-04-11"]


def test_moving_a_date_recomputes_the_windows_and_records_where_it_was(france, capsys):
    election = expected_election()
    before = election.windows.get()
    operator = get_user_model().objects.create_user("ops", password="not-used")

    call_command(
        "confirm_election_date",
        "2027 French presidential election",
        date=["2027-04-18"],
        reason="Decree fixing the first round",
        source="https://www.legifrance.gouv.fr/decree",
        user="ops",
    )

    election.refresh_from_db()
    window = election.windows.get()
    assert window.pk == before.pk, "the window keeps its identity"
    assert window.start - before.start == timedelta(days=7)
    assert window.start == utc(2027, 4, 16, 22)  # Saturday 17 April 00:00 Paris (CEST)
    assert election.first_voting_day == date(2027, 4, 18)
    assert "https://www.legifrance.gouv.fr/decree" in election.source_urls
    assert election.date_confirmed_by == "ops"
    event = AuditEvent.objects.get(action="election.date_moved")
    assert event.actor_user == operator
    assert event.inputs["previous_days"] == ["2027-04-11"]
    assert "Moved 2027 French presidential election" in capsys.readouterr().out


@pytest.mark.parametrize(
    "options, message",
    [
        ({"reason": "  "}, "reason"),
        ({"reason": "Decree", "date": ["2027-13-40"]}, "voting_days"),
        ({"reason": "Decree", "source": "ftp://example.org"}, "source_url"),
        ({"reason": "Decree", "user": "nobody"}, "--user"),
    ],
)
def test_bad_input_is_a_message_and_changes_nothing(france, options, message):
    election = expected_election()

    with pytest.raises(CommandError, match=message):
        call_command("confirm_election_date", str(election.pk), **options)

    election.refresh_from_db()
    assert election.status == DateStatus.EXPECTED and not AuditEvent.objects.exists()


def test_a_move_onto_another_round_of_the_same_kind_is_refused(france):
    election = expected_election()
    expected_election(
        day="2027-04-25", name="2027 French presidential election, second round", round="runoff"
    )

    with pytest.raises(ValidationError) as error:
        election_date_confirm(election=election, voting_days=["2027-04-25"], reason="Decree")

    assert "Overlaps" in str(error.value.message_dict["voting_days"])


def test_the_change_and_its_audit_record_land_together_or_not_at_all(france):
    election = expected_election()

    def broken_audit(**kwargs):
        raise RuntimeError("audit log unavailable")

    election_date_confirmed.connect(broken_audit, dispatch_uid="test-broken-audit")
    try:
        with pytest.raises(RuntimeError):
            election_date_confirm(election=election, voting_days=["2027-04-18"], reason="Decree")
    finally:
        election_date_confirmed.disconnect(dispatch_uid="test-broken-audit")

    election.refresh_from_db()
    assert election.voting_days == ["2027-04-11"] and election.status == DateStatus.EXPECTED
    assert election.windows.get().start == utc(2027, 4, 9, 22)


@pytest.fixture
def operator(client, db):
    user = get_user_model().objects.create_superuser("olga", "olga@example.org", "not-used-here")
    client.force_login(user)
    return user


def action_post(elections, **fields):
    return {
        "action": "confirm_election_date_action",
        "_selected_action": [str(e.pk) for e in elections],
        **fields,
    }


def test_the_admin_action_asks_for_a_reason_then_confirms(client, operator, france):
    election = expected_election()
    url = reverse("admin:elections_election_changelist")

    page = client.post(url, action_post([election]))
    assert page.status_code == 200 and "Confirm or move election dates" in page.content.decode()

    missing = client.post(url, action_post([election], apply="1", reason=""))
    assert missing.status_code == 200 and "This field is required" in missing.content.decode()
    assert not AuditEvent.objects.exists()

    done = client.post(url, action_post([election], apply="1", reason="CNE notice", voting_days="2027-04-18"))
    assert done.status_code == 302
    election.refresh_from_db()
    assert election.voting_days == ["2027-04-18"] and election.status == DateStatus.SCHEDULED
    assert AuditEvent.objects.get(action="election.date_moved").actor_user == operator


def test_the_admin_action_moves_only_one_election_at_a_time(client, operator, france):
    first = expected_election()
    second = expected_election(
        day="2027-04-25", name="2027 French presidential election, second round", round="runoff"
    )

    page = client.post(
        reverse("admin:elections_election_changelist"),
        action_post([first, second], apply="1", reason="Decree", voting_days="2027-04-18"),
    )

    assert "Select exactly one election" in page.content.decode()
    assert not AuditEvent.objects.exists()


def test_a_country_whose_next_expected_date_is_close_and_unconfirmed_is_stale(country_with_rule, france):
    country_with_rule("ES", ["Europe/Madrid"], FROM_MIDNIGHT_THE_DAY_BEFORE)
    country_with_rule("PL", ["Europe/Warsaw"], FROM_MIDNIGHT_THE_DAY_BEFORE)
    soon = expected_election(day="2027-01-17")
    far = expected_election(country="ES", day="2027-07-25", name="Spanish general election", kind="general")
    confirmed = expected_election(country="PL", day="2027-01-24", name="Polish vote", kind="parliamentary")
    election_date_confirm(election=confirmed, reason="PKW notice")

    stale = elections_awaiting_confirmation(at=utc(2026, 12, 3, 12))

    assert stale == [soon]
    assert far not in stale
    assert elections_awaiting_confirmation(at=utc(2027, 5, 30, 12)) == [far]
