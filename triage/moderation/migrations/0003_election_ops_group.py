"""Create the `election-ops` group: who may add and import public figures and likenesses in the dashboard."""

from django.db import migrations


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="election-ops")


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0002_moderator_groups")]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
