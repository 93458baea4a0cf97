"""Create the dashboard's two groups: moderators review cases, leads also handle escalations."""

from django.db import migrations

GROUPS = ("moderators", "leads")


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


def keep_groups(apps, schema_editor):
    # Groups may have members by now; unapplying the migration leaves them in place.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, keep_groups)]
