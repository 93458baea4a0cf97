"""Odd query parameters are 4xx with the parameter named, never a 500."""

import pytest

pytestmark = pytest.mark.django_db

ODD_INSTANTS = [
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-10:00",
    "2030-02-30T00:00:00Z",
    "2030-09-29T12:00:00+99:00",
    "\x00",
    "x" * 5000,
]


@pytest.mark.parametrize("value", ODD_INSTANTS)
def test_odd_instants_never_break_the_calendar_status(dana, value):
    response = dana.get("/api/v1/calendar/status", {"at": value})
    assert response.status_code == 400, response.content
    assert set(response.json()) == {"at"}


@pytest.mark.parametrize("value", ODD_INSTANTS)
def test_odd_instants_never_break_the_case_list(dana, value):
    response = dana.get("/api/v1/cases/", {"created_since": value})
    assert response.status_code == 400, response.content
    assert set(response.json()) == {"created_since"}


@pytest.mark.parametrize("value", ODD_INSTANTS)
def test_odd_instants_never_break_the_statements(dana, value):
    response = dana.get("/api/v1/statements/", {"since": value})
    assert response.status_code == 400, response.content
    assert set(response.json()) == {"since"}


@pytest.mark.parametrize("name", ["country", "status", "verdict", "phase"])
@pytest.mark.parametrize("value", ["\x00", "x" * 5000, "S K"])
def test_odd_filter_values_are_400s(dana, name, value):
    response = dana.get("/api/v1/cases/", {name: value})
    assert response.status_code == 400, response.content
    assert set(response.json()) == {name}


@pytest.mark.parametrize("value", ["\x00", "x" * 5000, "S K"])
def test_odd_countries_and_platforms_are_400s(dana, value):
    assert set(dana.get("/api/v1/calendar/status", {"country": value}).json()) == {"country"}
    assert set(dana.get("/api/v1/statements/", {"platform": value}).json()) == {"platform"}
