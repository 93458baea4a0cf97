"""The window-transition bookkeeping moved to the decision side (policy app). Its tables stay where
they are: this only removes the models from the elections app's state; policy 0004 adopts them."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('elections', '0008_transition_window_ref'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='windowtransitionbatch',
                    name='transition',
                ),
                migrations.DeleteModel(
                    name='WindowTransition',
                ),
                migrations.DeleteModel(
                    name='WindowTransitionBatch',
                ),
            ],
        ),
    ]
