"""Fixtures for the election calendar: countries with rules, made the way an operator would.

The seed migration loads a real calendar into every new database, the test database too.
Tests in this directory start from an EMPTY calendar (inside their own transaction) and state
the countries, rules and elections they exercise; a test marked `seeded_calendar` gets the
seeded calendar instead, reloaded if an earlier transactional test flushed it.
"""

from datetime import UTC, datetime, time

import pytest

from elections.models import Country, Election, Person, SilenceRule
from elections.seed import seed_calendar
from elections.services import silence_rule_save


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "seeded_calendar: the test runs on the seeded calendar (elections/data)"
    )


@pytest.fixture(autouse=True)
def _calendar_state(request):
    """Empty the calendar before each database test, or load the seed for `seeded_calendar` tests."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db"} & set(request.fixturenames):
        return
    transactional = "transactional_db" in request.fixturenames or (
        marker and marker.kwargs.get("transaction")
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    if request.node.get_closest_marker("seeded_calendar"):
        seed_calendar()
        return
    Election.objects.all().delete()  # windows, phases and adjustments go with them
    Person.objects.all().delete()
    Country.objects.all().delete()  # rules go with them


# The shapes of rule that recur in the research notes.
FORTY_EIGHT_HOURS_ELAPSED = {
    "start_mode": "hours_before_polls_open",
    "start_hours": 48,
    "start_clock": "elapsed",
}
FORTY_EIGHT_HOURS_WALL_CLOCK = {
    "start_mode": "hours_before_polls_open",
    "start_hours": 48,
    "start_clock": "wall_clock",
}
FROM_MIDNIGHT_THE_DAY_BEFORE = {"start_mode": "days_before_at_time", "start_days": 1, "start_time": time(0)}
FROM_MIDNIGHT_THREE_DAYS_BEFORE = {
    "start_mode": "days_before_at_time",
    "start_days": 3,
    "start_time": time(0),
}
UNTIL_POLLS_CLOSE = {"end_mode": "polls_close"}
SOURCES = {"source_urls": ["https://example.org/law"]}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def country_with_rule(db):
    """Return a function that sets up a country (code, zones) with the given rule (or none)."""

    def make(code: str, zones: list[str], rule: dict | None = None, *, name: str | None = None) -> Country:
        Election.objects.filter(country_id=code).delete()
        SilenceRule.objects.filter(country_id=code).delete()
        country, _ = Country.objects.update_or_create(
            code=code,
            defaults={
                "name": name or code,
                "time_zones": zones,
                "languages": [],
                "no_silence_note": "" if rule else "No silence period.",
            },
        )
        if rule is not None:
            silence_rule_save(country=code, **{**UNTIL_POLLS_CLOSE, **SOURCES, **rule})
        return country

    return make
