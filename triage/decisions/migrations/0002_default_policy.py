"""Load the default policy (docs/policy.md) as version 1, active, when no policy exists yet."""

from django.db import migrations


def load_default(apps, schema_editor):
    from triage.decisions.default_v1 import DEFAULT_RULES_V1 as DEFAULT_RULES

    PolicyVersion = apps.get_model("policy", "PolicyVersion")
    if PolicyVersion.objects.exists():
        return
    PolicyVersion.objects.create(
        version=1,
        status="active",
        description="Moratorium's default policy (docs/policy.md).",
        rules=DEFAULT_RULES,
    )


def unload_default(apps, schema_editor):
    PolicyVersion = apps.get_model("policy", "PolicyVersion")
    PolicyVersion.objects.filter(version=1, decisions__isnull=True, description__startswith="Moratorium's default").delete()


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]

    operations = [migrations.RunPython(load_default, unload_default)]
