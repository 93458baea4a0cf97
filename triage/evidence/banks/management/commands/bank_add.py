"""Add media files to a fingerprint bank, creating the bank if needed."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from triage.evidence.banks.models import EVIDENCE_PURPOSES, BankPurpose
from triage.evidence.banks.selectors import banked_item_find, file_sha256
from triage.evidence.banks.services import (
    BankPurposeConflictError,
    UnparseableMediaError,
    bank_add_file,
    bank_get_or_create,
)


class Command(BaseCommand):
    help = "Fingerprint FILEs into bank NAME (created with --purpose if missing); duplicates are skipped."

    def add_arguments(self, parser):
        parser.add_argument("--bank", required=True, help="bank name (a slug)")
        # The reference purpose is the system bank of media seen (clustering), not one operators make.
        evidence = [p for p in BankPurpose.values if p in EVIDENCE_PURPOSES]
        parser.add_argument("--purpose", choices=evidence, help="purpose of a new bank")
        parser.add_argument("--notes", default="", help="notes stored with every added item")
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, bank: str, purpose: str | None, notes: str, files: list[str], **options):
        try:
            target = bank_get_or_create(name=bank, purpose=purpose)
        except BankPurposeConflictError as exc:
            raise CommandError(str(exc)) from exc
        except ValueError as exc:  # includes a model validation error on the name
            raise CommandError(str(exc)) from exc
        added = skipped = 0
        failed: list[tuple[str, str]] = []
        progress = _Progress(len(files), stream=self.stderr._out)
        for name in files:
            path = Path(name)
            try:
                if not path.is_file():
                    raise UnparseableMediaError("no such file (or not a regular file)")
                if banked_item_find(bank=target, sha256=file_sha256(path)) is not None:
                    skipped += 1
                else:
                    bank_add_file(bank=target, path=path, notes=notes)
                    added += 1
            except (UnparseableMediaError, OSError) as exc:
                failed.append((name, str(exc)))
            progress.step(path.name)
        progress.close()
        for name, reason in failed:
            self.stderr.write(f"failed: {name}: {reason}")
        self.stdout.write(
            f"bank {target.name} ({target.purpose}): {added} added, "
            f"{skipped} skipped as duplicates, {len(failed)} failed"
        )
        if failed:
            raise CommandError(f"{len(failed)} file(s) could not be added", returncode=1)


class _Progress:
    """A one-line progress bar on stderr, redrawn in place on a terminal."""

    def __init__(self, total: int, *, stream) -> None:
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def step(self, label: str) -> None:
        self.done += 1
        width = 30
        filled = int(width * self.done / max(1, self.total))
        line = f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {label[:40]}"
        if self.tty:
            self.stream.write("\r" + line.ljust(80))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
