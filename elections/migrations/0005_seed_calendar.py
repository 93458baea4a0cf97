"""Load the seeded calendar: countries, silence rules and past elections, with their windows.

The data lives in elections/data/*.json (each rule and election with its sources); the loader
in elections/seed.py is shared with the tests. A later change to the files is applied with
`elections.seed.seed_calendar()` (idempotent), not by re-running this migration.
"""

from django.db import migrations


def load(apps, schema_editor):
    from elections.seed import seed_calendar

    seed_calendar(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("elections", "0004_country_no_silence_sources")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
