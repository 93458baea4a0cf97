from elections.importers import election_rows, elections_import

from ._import import ImportCommand


class Command(ImportCommand):
    help = (
        "Import elections from a CSV (country,name,kind,round,voting_days,polls_open,polls_close,region) "
        "or an .ics file, all or nothing. Rows matching an election's country, name and round update it."
    )
    what = "elections"

    def read(self, path):
        return election_rows(path)

    def importer(self):
        return elections_import
