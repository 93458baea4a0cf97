"""Seed the label texts from the shipped catalogs (locale/<lang>/LC_MESSAGES/django.po).

Every translation becomes version 1, a draft: none was reviewed by a native speaker. The English
msgids are the source texts, seeded as reviewed (they are the source, nobody translates them).
Also creates the `election_ops` group with the permission to review label texts.
"""

from django.db import migrations

ELECTION_OPS_GROUP = "election_ops"


def seed(apps, schema_editor):
    from triage.decisions.labels.seed import seed_shipped

    seed_shipped(apps.get_model("labels", "LabelText"))


def unseed(apps, schema_editor):
    apps.get_model("labels", "LabelText").objects.filter(version=1).delete()


def election_ops_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; the group needs them now.
    config = apps.get_app_config("labels")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ELECTION_OPS_GROUP)
    codenames = ["review_labeltext", "view_labeltext", "add_labeltext", "change_labeltext"]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="labels", codename__in=codenames)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("labels", "0001_h13_label_texts"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
        migrations.RunPython(election_ops_group, migrations.RunPython.noop),
    ]
