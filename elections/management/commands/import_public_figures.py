from elections.importers import PUBLIC_FIGURE_COLUMNS, csv_rows, public_figures_import, read_text

from ._import import ImportCommand


class Command(ImportCommand):
    help = (
        "Import public figures from a CSV (name,aliases,country,role,party,valid_from,valid_to), all or "
        "nothing: one person per name and country, each row adds a role."
    )
    what = "public figures"

    def read(self, path):
        return list(csv_rows(read_text(path), PUBLIC_FIGURE_COLUMNS))

    def importer(self):
        return public_figures_import
