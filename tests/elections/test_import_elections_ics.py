"""`import_elections FILE.ics`: VEVENTs with X-MORATORIUM-* properties, all or nothing."""

import datetime as dt

import pytest
from django.core.management.base import CommandError
from django.urls import reverse

from elections.models import Country, Election, SilenceRule

from .calendar_io import FIXTURES, run

UTC = dt.UTC


@pytest.fixture(autouse=True)
def calendar(db):
    slovakia = Country.objects.create(
        code="SK", name="Slovakia", time_zones=["Europe/Bratislava"], languages=["sk"]
    )
    SilenceRule.objects.create(
        country=slovakia, start_mode="hours_before_polls_open", start_hours=48, end_mode="polls_close"
    )
    Country.objects.create(code="CZ", name="Czechia", time_zones=["Europe/Prague"], languages=["cs"])


def ics(tmp_path, *events: str, name: str = "calendar.ics"):
    """Write a calendar of the given VEVENT bodies (one property per line) with CRLF line ends."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for number, body in enumerate(events):
        lines += ["BEGIN:VEVENT", f"UID:event-{number}@test", "DTSTAMP:20240101T000000Z"]
        lines += [line.strip() for line in body.strip().splitlines()]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    return path


SK_EVENT = """
    SUMMARY:2023 Slovak parliamentary election
    DTSTART;VALUE=DATE:20230930
    X-MORATORIUM-COUNTRY:SK
    X-MORATORIUM-KIND:parliamentary
    X-MORATORIUM-POLLS-OPEN:07:00
    X-MORATORIUM-POLLS-CLOSE:22:00
"""


def test_all_day_and_timed_events_become_elections():
    output = run("import_elections", str(FIXTURES / "elections.ics"))

    assert "3 created" in output
    parliamentary = Election.objects.get(name="2023 Slovak parliamentary election")
    assert parliamentary.voting_days == ["2023-09-30"]
    assert parliamentary.source_urls == ["https://volby.statistics.sk/nrsr/nrsr2023/en/"]
    assert parliamentary.windows.get().start == dt.datetime(2023, 9, 28, 5, 0, tzinfo=UTC)
    # DTEND of an all-day event is exclusive: Friday and Saturday.
    assert Election.objects.get(country="CZ").voting_days == ["2025-10-03", "2025-10-04"]
    # A timed event: one voting day, polls from DTSTART to DTEND in local time.
    runoff = Election.objects.get(round="runoff")
    assert (runoff.voting_days, runoff.polls_open, runoff.polls_close) == (
        ["2024-04-06"],
        dt.time(7, 0),
        dt.time(22, 0),
    )
    assert runoff.windows.get().end == dt.datetime(2024, 4, 6, 20, 0, tzinfo=UTC)


def test_a_feed_exported_by_moratorium_imports_its_elections_and_skips_its_windows(client, tmp_path):
    run("import_elections", str(FIXTURES / "elections.ics"))
    feed = client.get(reverse("calendar-all") + "?since=2023-01-01").content
    exported = {
        (e.country_id, e.name, e.round, tuple(e.voting_days), e.polls_open, e.polls_close)
        for e in Election.objects.all()
    }
    Election.objects.all().delete()
    path = tmp_path / "all.ics"
    path.write_bytes(feed)

    output = run("import_elections", str(path))

    assert "3 created" in output
    imported = {
        (e.country_id, e.name, e.round, tuple(e.voting_days), e.polls_open, e.polls_close)
        for e in Election.objects.all()
    }
    assert imported == exported


def test_a_bad_event_names_the_line_of_its_begin_and_nothing_is_imported(tmp_path):
    path = ics(
        tmp_path,
        SK_EVENT,
        SK_EVENT.replace("2023 Slovak", "2024 Slovak")
        .replace("KIND:parliamentary", "KIND:presidental")
        .replace("20230930", "20240323"),
    )

    with pytest.raises(CommandError) as failure:
        run("import_elections", str(path))

    # The second VEVENT begins on line 14 (3 header lines, 10 lines for the first event).
    assert "line 14, kind: Unknown kind 'presidental'" in str(failure.value)
    assert not Election.objects.exists()


@pytest.mark.parametrize(
    ("event", "field", "message"),
    [
        (SK_EVENT.replace("X-MORATORIUM-COUNTRY:SK", ""), "country", "missing X-MORATORIUM-COUNTRY"),
        (SK_EVENT.replace("X-MORATORIUM-KIND:parliamentary", ""), "kind", "missing X-MORATORIUM-KIND"),
        (SK_EVENT.replace("DTSTART;VALUE=DATE:20230930", ""), "voting_days", "missing DTSTART"),
        (
            SK_EVENT.replace("DTSTART;VALUE=DATE:20230930", "DTSTART:tomorrow"),
            "voting_days",
            "DTSTART is not a date",
        ),
        (SK_EVENT.replace("X-MORATORIUM-POLLS-OPEN:07:00", ""), "polls_open", "required"),
        (SK_EVENT.replace("SUMMARY:2023 Slovak parliamentary election", ""), "name", "required"),
        (
            SK_EVENT.replace(
                "DTSTART;VALUE=DATE:20230930", "DTSTART:20230930T050000Z\nDTEND:20230930T200000Z"
            ),
            "polls_open",
            "DTSTART is in UTC",
        ),
        (
            SK_EVENT.replace(
                "DTSTART;VALUE=DATE:20230930", "DTSTART;VALUE=DATE:20230930\nDTEND;VALUE=DATE:20230930"
            ),
            "voting_days",
            "DTEND is not after DTSTART",
        ),
    ],
)
def test_a_bad_event_names_its_field(tmp_path, event, field, message):
    path = ics(tmp_path, event)

    with pytest.raises(CommandError) as failure:
        run("import_elections", str(path))

    assert f"line 4, {field}: " in str(failure.value)
    assert message in str(failure.value)
    assert not Election.objects.exists()


def test_a_timed_event_without_an_end_needs_the_closing_hour(tmp_path):
    event = SK_EVENT.replace("DTSTART;VALUE=DATE:20230930", "DTSTART;TZID=Europe/Bratislava:20230930T070000")
    path = ics(tmp_path, event.replace("X-MORATORIUM-POLLS-CLOSE:22:00", ""))

    with pytest.raises(CommandError, match="line 4, polls_close: missing DTEND"):
        run("import_elections", str(path))


def test_a_file_that_is_not_icalendar_is_unparseable(tmp_path):
    path = tmp_path / "calendar.ics"
    path.write_text("BEGIN:VCALENDAR\r\nthis is not a content line\r\n")

    with pytest.raises(CommandError, match="file: unparseable iCalendar"):
        run("import_elections", str(path))


def test_an_oversized_file_is_refused_before_parsing(tmp_path, monkeypatch):
    from elections import importers

    monkeypatch.setattr(importers, "MAX_IMPORT_BYTES", 1024)
    path = ics(tmp_path, *[SK_EVENT] * 20)

    with pytest.raises(CommandError, match="file: larger than 1024 bytes"):
        run("import_elections", str(path))


def test_a_url_is_added_to_the_sources_already_recorded(tmp_path):
    run("import_elections", str(FIXTURES / "elections.ics"))
    election = Election.objects.get(name="2023 Slovak parliamentary election")
    election.source_urls = ["https://example.org/first-source", *election.source_urls]
    election.save()

    path = ics(tmp_path, SK_EVENT + "URL:https://example.org/second-source")
    output = run("import_elections", str(path))

    assert "1 updated" in output
    election.refresh_from_db()
    assert election.source_urls == [
        "https://example.org/first-source",
        "https://volby.statistics.sk/nrsr/nrsr2023/en/",
        "https://example.org/second-source",
    ]


def test_too_many_events_are_refused_before_parsing(tmp_path, monkeypatch):
    from elections import importers

    monkeypatch.setattr(importers, "MAX_IMPORT_ROWS", 3)
    path = ics(tmp_path, *[SK_EVENT] * 4)

    with pytest.raises(CommandError, match="file: more than 3 events: split the file"):
        run("import_elections", str(path))


def test_binary_garbage_named_ics_is_unparseable(tmp_path):
    path = tmp_path / "calendar.ics"
    path.write_bytes(b"BEGIN:VCALENDAR\r\n" + bytes(range(256)) * 64)

    with pytest.raises(CommandError, match="file: "):
        run("import_elections", str(path))
    assert not Election.objects.exists()
