"""What the three import commands share: read, import in one transaction, report."""

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError

from elections.importers import ImportRejected, ImportResult


class ImportCommand(BaseCommand):
    """Import FILE all or nothing; on any bad row print every error and exit non-zero."""

    what = "rows"

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the file to import")

    def read(self, path: str) -> list:
        raise NotImplementedError

    def importer(self) -> Callable[..., ImportResult]:
        raise NotImplementedError

    def handle(self, *args, **options):
        try:
            rows = self.read(options["file"])
            result = self.importer()(rows=rows)
        except ImportRejected as exc:
            count = len(exc.errors)
            raise CommandError(
                f"{options['file']}: nothing imported; {count} error{'s' if count != 1 else ''}:\n"
                + "\n".join(str(error) for error in exc.errors)
            ) from None
        self.stdout.write(self.style.SUCCESS(f"{options['file']}: {self.what} imported: {result}."))
