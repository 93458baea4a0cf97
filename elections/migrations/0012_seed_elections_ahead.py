"""Load the elections ahead (to the end of 2028) and the countries added for issue 15.

Only what the database does not hold yet is loaded (`only_new`): countries, rules and elections
already there, seeded by 0005 or edited by operators since, are left as they are. Existing
seeded elections keep the default status `scheduled` (their dates were fixed: they are past).
"""

from django.db import migrations


def load(apps, schema_editor):
    from elections.seed import seed_calendar

    seed_calendar(apps=apps, only_new=True)


class Migration(migrations.Migration):
    dependencies = [("elections", "0011_election_date_status")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
