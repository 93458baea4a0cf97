from elections.importers import LIKENESS_COLUMNS, authorized_likenesses_import, csv_rows, read_text

from ._import import ImportCommand


class Command(ImportCommand):
    help = (
        "Import declarations of authorized synthetic likenesses from a CSV "
        "(person,country,kind,declared_by,evidence_url,valid_from,valid_to), all or nothing. "
        "The person must already be in the registry (by name or alias in that country)."
    )
    what = "authorized likenesses"

    def read(self, path):
        return list(csv_rows(read_text(path), LIKENESS_COLUMNS))

    def importer(self):
        return authorized_likenesses_import
