"""Match media files against every enabled fingerprint bank."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from triage.evidence.banks.services import UnparseableMediaError, bank_match_file


class Command(BaseCommand):
    help = "Print the bank matches of each FILE (--json: a list of {file, matches})."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, files: list[str], json: bool, **options):
        results = []
        failures = 0
        for name in files:
            entry: dict = {"file": name, "matches": []}
            try:
                if not Path(name).is_file():
                    raise UnparseableMediaError("no such file (or not a regular file)")
                entry["matches"] = [m.as_json() for m in bank_match_file(path=Path(name))]
            except UnparseableMediaError as exc:
                entry["error"] = str(exc)
                failures += 1
            results.append(entry)
        if json:
            self.stdout.write(_dumps(results))
        else:
            for entry in results:
                self.stdout.write(self._describe(entry))
        if failures:
            raise CommandError(f"{failures} file(s) could not be matched", returncode=1)

    def _describe(self, entry: dict) -> str:
        if "error" in entry:
            return f"{entry['file']}: {entry['error']}"
        if not entry["matches"]:
            return f"{entry['file']}: no match"
        lines = [f"{entry['file']}: {len(entry['matches'])} match(es)"]
        for m in entry["matches"]:
            where = f" at {m['offset_seconds']}s" if "offset_seconds" in m else ""
            lines.append(
                f"  {m['bank']} ({m['purpose']}): {m['item']['original_name'] or m['item']['sha256'][:12]}"
                f" distance {m['distance']}{where}"
            )
        return "\n".join(lines)


def _dumps(value) -> str:
    return json.dumps(value, indent=2)
