"""Export stored DSA statements of reasons as JSON or CSV."""

from __future__ import annotations

from datetime import UTC, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date, parse_datetime

from integrations.transparency.selectors import statements_export, statements_of_reasons_list


def _moment(value: str, option: str) -> datetime:
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"{option}: {value!r} is not a date (YYYY-MM-DD) or an ISO 8601 datetime")
        parsed = datetime.combine(day, time.min)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class Command(BaseCommand):
    help = "Export the valid statements of reasons (JSON bulk-API body or CSV like the database's dumps)."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="decided on or after this date or datetime (UTC)")
        parser.add_argument("--until", help="decided before this date or datetime (UTC)")
        parser.add_argument("--platform", help="only this platform's statements (its slug)")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--output", help="write to this file instead of standard output")

    def handle(self, *args, since=None, until=None, platform=None, format="json", output=None, **options):
        filters = {
            "since": _moment(since, "--since") if since else None,
            "until": _moment(until, "--until") if until else None,
            "platform": platform,
        }
        statements = list(statements_of_reasons_list(**filters))
        invalid = statements_of_reasons_list(**filters, valid=False).count()
        text = statements_export(statements=statements, fmt=format)
        if output:
            with open(output, "w", encoding="utf-8", newline="") as out:
                out.write(text)
        else:
            self.stdout.write(text, ending="")
        self.stderr.write(f"{len(statements)} statement(s) exported")
        if invalid:
            self.stderr.write(
                f"{invalid} invalid statement(s) not exported: see Transparency › Statements of reasons "
                "in the admin (filter valid: No) for their errors"
            )
