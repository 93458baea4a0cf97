"""Helpers shared by the calendar I/O tests (imports, feeds, silence_status)."""

import datetime as dt
import io
import textwrap
from pathlib import Path

from django.core.management import call_command

from elections.models import Country, SilenceRule
from elections.services import election_create

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def write(tmp_path: Path, name: str, text: str) -> Path:
    """Write a dedented UTF-8 file the way an operator's editor would."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def mexico_2024() -> Country:
    """Mexico across two zones, silent from midnight three days before its 2 June 2024 vote."""
    country = Country.objects.create(
        code="MX", name="Mexico", time_zones=["America/Mexico_City", "America/Tijuana"], languages=["es"]
    )
    SilenceRule.objects.create(
        country=country,
        start_mode="days_before_at_time",
        start_days=3,
        start_time=dt.time(0),
        end_mode="polls_close",
    )
    election_create(
        country="MX",
        name="2024 Mexican general election",
        kind="general",
        voting_days=[dt.date(2024, 6, 2)],
        polls_open=dt.time(8),
        polls_close=dt.time(18),
    )
    return country
