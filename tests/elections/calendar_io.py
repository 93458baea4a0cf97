"""Helpers shared by the calendar I/O tests (imports, feeds, silence_status)."""

import io
import textwrap
from pathlib import Path

from django.core.management import call_command

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
