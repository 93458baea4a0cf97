"""`silence_status`: which countries are in election silence at an instant, and until when."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError

from elections.models import Country, SilenceWindow
from elections.selectors import countries_in_silence, election_period_active, silence_window_active


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


def utc_iso(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _local(instant: dt.datetime, zone: str) -> dt.datetime:
    return instant.astimezone(ZoneInfo(zone))


def window_json(window: SilenceWindow) -> dict:
    """The `window` object of the JSON output: start and end in UTC ("Z"), plus local times."""
    return {
        "start": utc_iso(window.start),
        "end": utc_iso(window.end),
        "election": window.election.name,
        "election_id": window.election_id,
        "time_zone": window.time_zone,
        "start_local": _local(window.start, window.time_zone).isoformat(),
        "end_local": _local(window.end, window.time_zone).isoformat(),
        "regions": list(window.regions),
        "phase": window.phase.number if window.phase_id else None,
        "scope": window.scope,
        "covers_online": window.covers_online,
    }


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
            silent = {window.country_id for window in countries_in_silence(at=at)}
            in_period = {
                code
                for code in Country.objects.values_list("code", flat=True)
                if election_period_active(country=code, at=at) is not None
            }
            codes = sorted(silent | in_period)

        statuses = []
        for code in codes:
            window = silence_window_active(country=code, at=at)
            # Every window in force, for the table: a country spanning zones has one per zone.
            windows = list(
                SilenceWindow.objects.filter(country_id=code, start__lte=at, end__gt=at)
                .select_related("election", "phase")
                .order_by("start", "time_zone")
            )
            statuses.append(
                {
                    "code": code,
                    "window": window,
                    "windows": windows,
                    "in_election_period": election_period_active(country=code, at=at) is not None,
                }
            )

        if options["json"]:
            payload = [
                {
                    "country": status["code"],
                    "in_silence": status["window"] is not None,
                    "in_election_period": status["in_election_period"],
                    "window": window_json(status["window"]) if status["window"] else None,
                }
                for status in statuses
            ]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
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
