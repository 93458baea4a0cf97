"""`silence_status`: which countries are in election silence at an instant, and until when."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError

from elections.models import Country, SilenceWindow
from elections.selectors import election_period_active
from elections.status import countries_in_focus, country_status


def parse_instant(value: str) -> dt.datetime:
    """Parse an ISO 8601 instant with an offset or Z; a naive time is refused as ambiguous."""
    try:
        instant = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            f"--at {value!r} is not an ISO 8601 date-time such as 2023-09-29T12:00:00Z"
        ) from None
    if instant.tzinfo is None or instant.utcoffset() is None:
        # In a tool about time zones a bare local time is the classic mistake: make it explicit.
        raise CommandError(
            f"--at {value!r} has no UTC offset: add Z or an offset, "
            f"e.g. {value.strip()}Z or {value.strip()}+02:00"
        )
    return instant.astimezone(dt.UTC)


def _local(instant: dt.datetime, zone: str) -> dt.datetime:
    return instant.astimezone(ZoneInfo(zone))


class Command(BaseCommand):
    help = (
        "Show which countries are in election silence at an instant (default: now), with each window's "
        "election, start and end in UTC and local time. Without --country: every country in silence or in "
        "an election period (--all: every country in the calendar)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--country", help="ISO 3166-1 alpha-2 code, e.g. SK: exactly that country")
        parser.add_argument("--at", help="ISO 8601 instant with Z or an offset (default: now)")
        parser.add_argument("--json", action="store_true", help="print a JSON list, one object per country")
        parser.add_argument(
            "--all", action="store_true", help="list every country in the calendar, even the quiet ones"
        )

    def handle(self, *args, **options):
        at = parse_instant(options["at"]) if options["at"] else dt.datetime.now(dt.UTC)
        if options["country"]:
            code = options["country"].strip().upper()
            if not Country.objects.filter(code=code).exists():
                raise CommandError(f"--country {options['country']!r} is not a country in the calendar")
            codes = [code]
        elif options["all"]:
            codes = list(Country.objects.order_by("code").values_list("code", flat=True))
        else:
            # What an operator asks at a glance: who is silent now, and who is in the run-up
            # where friction already rises. Quiet countries only with --all or --country.
            codes = countries_in_focus(at=at)

        if options["json"]:
            payload = [country_status(country=code, at=at) for code in codes]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return

        statuses = []
        for code in codes:
            # Every window in force, for the table: a country spanning zones has one per zone.
            windows = list(
                SilenceWindow.objects.filter(country_id=code, start__lte=at, end__gt=at)
                .select_related("election", "phase")
                .order_by("start", "time_zone")
            )
            statuses.append(
                {
                    "code": code,
                    "windows": windows,
                    "in_election_period": election_period_active(country=code, at=at) is not None,
                }
            )

        self._table(at, statuses)

    def _table(self, at: dt.datetime, statuses: list[dict]) -> None:
        self.stdout.write(f"Silence status at {at:%Y-%m-%d %H:%M:%S} UTC")
        if not statuses:
            self.stdout.write("No country is in election silence or in an election period.")
            return
        header = (
            "COUNTRY",
            "SILENCE",
            "ELECTION PERIOD",
            "ELECTION",
            "TIME ZONE",
            "START (UTC)",
            "END (UTC)",
            "START (LOCAL)",
            "END (LOCAL)",
        )
        rows = []
        for status in statuses:
            period = "yes" if status["in_election_period"] else "no"
            if not status["windows"]:
                rows.append((status["code"], "no", period, "-", "", "", "", "", ""))
            for window in status["windows"]:
                name = window.election.name
                if window.phase_id:
                    name += f", phase {window.phase.number}"
                if window.regions:  # an Indian phase lists dozens: keep the table readable
                    shown = ", ".join(window.regions[:4])
                    more = len(window.regions) - 4
                    name += f" [{shown}{f' +{more} more' if more > 0 else ''}]"
                rows.append(
                    (
                        status["code"],
                        "yes",
                        period,
                        name,
                        window.time_zone,
                        f"{window.start.astimezone(dt.UTC):%Y-%m-%d %H:%M}",
                        f"{window.end.astimezone(dt.UTC):%Y-%m-%d %H:%M}",
                        f"{_local(window.start, window.time_zone):%Y-%m-%d %H:%M %Z}",
                        f"{_local(window.end, window.time_zone):%Y-%m-%d %H:%M %Z}",
                    )
                )
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            self.stdout.write(
                "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            )
