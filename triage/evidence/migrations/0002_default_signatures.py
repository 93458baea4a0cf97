"""Load the default generator signatures (operators extend them in the admin)."""

from django.db import migrations


def load(apps, schema_editor):
    from triage.evidence.signatures import DEFAULT_SIGNATURES

    GeneratorSignature = apps.get_model("checks", "GeneratorSignature")
    for row in DEFAULT_SIGNATURES:
        GeneratorSignature.objects.get_or_create(
            field=row["field"], pattern=row["pattern"], defaults={"generator": row["generator"]}
        )


def unload(apps, schema_editor):
    from triage.evidence.signatures import DEFAULT_SIGNATURES

    GeneratorSignature = apps.get_model("checks", "GeneratorSignature")
    for row in DEFAULT_SIGNATURES:
        GeneratorSignature.objects.filter(field=row["field"], pattern=row["pattern"]).delete()


class Migration(migrations.Migration):
    dependencies = [("checks", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
