"""`import_elections FILE.csv`: elections in, windows computed, all or nothing."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.core.management.base import CommandError

from elections.models import Country, Election, SilenceRule, SilenceWindow
from tests.kit.worker import ROOT

from .calendar_io import FIXTURES, run, write

HEADER = "country,name,kind,round,voting_days,polls_open,polls_close,region\n"
SK_2023 = "SK,2023 Slovak parliamentary election,parliamentary,first,2023-09-30,07:00,22:00,\n"
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


def test_imports_elections_and_computes_their_silence_windows():
    output = run("import_elections", str(FIXTURES / "elections.csv"))

    assert "4 created, 0 updated, 0 unchanged" in output
    parliamentary = Election.objects.get(name="2023 Slovak parliamentary election")
    window = parliamentary.windows.get()
    # The test's rule: 48 hours before polls open at 07:00 CEST on Saturday, until they close at 22:00.
    assert window.start == dt.datetime(2023, 9, 28, 5, 0, tzinfo=UTC)
    assert window.end == dt.datetime(2023, 9, 30, 20, 0, tzinfo=UTC)
    runoff = Election.objects.get(name="2024 Slovak presidential election, second round")
    assert runoff.windows.get().start == dt.datetime(2024, 4, 4, 5, 0, tzinfo=UTC)
    czech = Election.objects.get(country="CZ")
    assert czech.voting_days == ["2025-10-03", "2025-10-04"]
    assert czech.round == "first"  # an empty round is a first round
    assert not czech.windows.exists()  # Czechia has no silence period


def test_reimporting_the_same_file_changes_nothing():
    run("import_elections", str(FIXTURES / "elections.csv"))
    window_ids = set(SilenceWindow.objects.values_list("pk", flat=True))

    output = run("import_elections", str(FIXTURES / "elections.csv"))

    assert "0 created, 0 updated, 4 unchanged" in output
    assert Election.objects.count() == 4
    assert set(SilenceWindow.objects.values_list("pk", flat=True)) == window_ids


def test_a_changed_row_updates_the_election_and_recomputes_its_window_in_place(tmp_path):
    run("import_elections", str(FIXTURES / "elections.csv"))
    window = SilenceWindow.objects.get(election__name="2023 Slovak parliamentary election")
    later = write(tmp_path, "later.csv", HEADER + SK_2023.replace("22:00", "22:40"))

    output = run("import_elections", str(later))

    assert "0 created, 1 updated" in output
    window.refresh_from_db()
    assert window.end == dt.datetime(2023, 9, 30, 20, 40, tzinfo=UTC)
    assert Election.objects.filter(name="2023 Slovak parliamentary election").count() == 1


def test_polls_closing_after_midnight_are_written_with_plus_one(tmp_path):
    path = write(tmp_path, "late.csv", HEADER + "SK,Night vote,referendum,,2026-01-10,18:00,01:00+1,\n")

    run("import_elections", str(path))

    election = Election.objects.get(name="Night vote")
    assert election.polls_close_next_day is True
    assert election.windows.get().end == dt.datetime(2026, 1, 11, 0, 0, tzinfo=UTC)


BAD_ROWS = [
    (",2023 election,parliamentary,,2023-09-30,07:00,22:00,", "country", "required"),
    ("XX,2023 election,parliamentary,,2023-09-30,07:00,22:00,", "country", "unknown country 'XX'"),
    ("SK,,parliamentary,,2023-09-30,07:00,22:00,", "name", "required"),
    ("SK,2023 election,parlamentary,,2023-09-30,07:00,22:00,", "kind", "Unknown kind 'parlamentary'"),
    ("SK,2023 election,parliamentary,second,2023-09-30,07:00,22:00,", "round", "'second' is not one of"),
    ("SK,2023 election,parliamentary,,,07:00,22:00,", "voting_days", "required"),
    ("SK,2023 election,parliamentary,,30.09.2023,07:00,22:00,", "voting_days", "is not an ISO date"),
    ("SK,2023 election,parliamentary,,2023-09-31,07:00,22:00,", "voting_days", "is not a real date"),
    ("SK,2023 election,parliamentary,,2023-10-01;2023-09-30,07:00,22:00,", "voting_days", "ascending order"),
    ("SK,2023 election,parliamentary,,2023-09-30,7am,22:00,", "polls_open", "is not a local time HH:MM"),
    ("SK,2023 election,parliamentary,,2023-09-30,07:00,24:30,", "polls_close", "is not a time of day"),
    ("SK,2023 election,parliamentary,,2023-09-30,07:00,,", "polls_close", "required"),
    (
        "SK,2023 election,parliamentary,,2023-09-30,07:00,06:00,",
        "polls_close",
        "polls close (06:00) before they open",
    ),
    ("SK,2023 election,regional,,2023-09-30,07:00,22:00,Bratislava", "region", "is not an ISO 3166-2 code"),
    ("SK,2023 election,regional,,2023-09-30,07:00,22:00,CZ-10", "region", "is not in country SK"),
    (
        "SK,Repeat,parliamentary,repeat,2023-09-30,07:00,22:00,",
        "voting_days",
        "Overlaps 2023 Slovak parliamentary",
    ),
]


@pytest.mark.parametrize(("row", "field", "message"), BAD_ROWS)
def test_a_bad_row_names_its_line_and_field_and_nothing_is_imported(tmp_path, row, field, message):
    path = write(tmp_path, "elections.csv", HEADER + SK_2023 + row + "\n")

    with pytest.raises(CommandError) as failure:
        run("import_elections", str(path))

    assert f"line 3, {field}: " in str(failure.value)
    assert message in str(failure.value)
    assert not Election.objects.exists()
    assert not SilenceWindow.objects.exists()


def test_every_bad_field_of_a_row_is_named(tmp_path):
    path = write(tmp_path, "elections.csv", HEADER + "SK,2023 election,parliamentary,,2023-09-30,7,22h,\n")

    with pytest.raises(CommandError) as failure:
        run("import_elections", str(path))

    assert "line 2, polls_open: '7' is not a local time HH:MM" in str(failure.value)
    assert "line 2, polls_close: '22h' is not a local time HH:MM" in str(failure.value)


def test_a_header_that_is_not_the_documented_one_is_refused(tmp_path):
    path = write(tmp_path, "elections.csv", "country,name,kind,voting_days,open,close\n" + SK_2023)

    with pytest.raises(CommandError, match=r"line 1, header: missing column\(s\) round, polls_open"):
        run("import_elections", str(path))


def test_the_command_exits_non_zero_and_prints_the_errors_without_a_traceback(tmp_path):
    # A header error is found before any database access, so the subprocess needs no test rows.
    path = write(tmp_path, "elections.csv", "country;name;kind\nSK;2023 Slovak parliamentary election;x\n")

    result = subprocess.run(
        [sys.executable, "manage.py", "import_elections", str(path)],
        cwd=ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 1
    assert "nothing imported; 1 error:" in result.stderr
    assert "line 1, header: missing column(s) country, name, kind" in result.stderr
    assert "Traceback" not in result.stderr


def test_too_many_rows_are_refused(tmp_path, monkeypatch):
    from elections import importers

    monkeypatch.setattr(importers, "MAX_IMPORT_ROWS", 2)
    path = write(tmp_path, "elections.csv", HEADER + SK_2023 * 3)

    with pytest.raises(CommandError, match="line 4, file: more than 2 rows: split the file"):
        run("import_elections", str(path))
