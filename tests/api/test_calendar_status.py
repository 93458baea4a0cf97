"""GET /api/v1/calendar/status?country=XX&at=ISO: the silence_status --json objects."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from tests.kit.silence import SK_OPENS

pytestmark = pytest.mark.django_db


def test_bob_sees_slovakia_in_silence_exactly_as_silence_status_prints_it(erin, slovak_election):
    at = "2030-09-29T12:00:00Z"
    body = erin.get(f"/api/v1/calendar/status?country=sk&at={at}").json()

    out = StringIO()
    call_command("silence_status", "--country", "SK", "--at", at, "--json", stdout=out)
    assert body == {"at": at, "countries": json.loads(out.getvalue())}
    [slovakia] = body["countries"]
    assert slovakia["in_silence"] is True
    assert slovakia["window"]["start"] == SK_OPENS.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_without_a_country_every_country_in_silence_or_election_period(erin, slovak_election):
    body = erin.get("/api/v1/calendar/status?at=2030-09-29T12:00:00%2B02:00").json()
    assert body["at"] == "2030-09-29T10:00:00Z"
    assert [c["country"] for c in body["countries"]] == ["SK"]


def test_bad_parameters_are_400s_naming_the_parameter(erin, slovak_election):
    response = erin.get("/api/v1/calendar/status?country=Slovakia&at=tomorrow")
    assert response.status_code == 400
    assert set(response.json()) == {"country", "at"}
    assert erin.get("/api/v1/calendar/status?country=QQ").json() == {
        "country": ["QQ is not a country in the calendar."]
    }
    naive = erin.get("/api/v1/calendar/status?at=2030-09-29T12:00:00").json()
    assert naive == {"at": ["Add Z or a UTC offset, e.g. 2030-09-29T12:00:00Z."]}
