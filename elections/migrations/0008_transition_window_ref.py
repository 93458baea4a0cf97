from django.db import migrations, models


def copy_window_ids(apps, schema_editor):
    WindowTransition = apps.get_model("elections", "WindowTransition")
    WindowTransition.objects.filter(window_ref__isnull=True).update(window_ref=models.F("window_id"))
    # A transition of an already deleted window has no id left to key on: nothing can follow it.
    WindowTransition.objects.filter(window_ref__isnull=True).update(window_ref=0)


class Migration(migrations.Migration):
    dependencies = [("elections", "0007_window_transitions")]

    operations = [
        migrations.RemoveConstraint(model_name="windowtransition", name="one_transition_per_window_boundary"),
        migrations.AddField(
            model_name="windowtransition", name="window_ref", field=models.BigIntegerField(null=True)
        ),
        migrations.RunPython(copy_window_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="windowtransition", name="window_ref", field=models.BigIntegerField()
        ),
        migrations.AddConstraint(
            model_name="windowtransition",
            constraint=models.UniqueConstraint(
                fields=("window_ref", "kind", "boundary_at"), name="one_transition_per_window_boundary"
            ),
        ),
        migrations.AddIndex(
            model_name="windowtransition",
            index=models.Index(fields=["window", "kind"], name="elections_w_window__b39aee_idx"),
        ),
    ]
