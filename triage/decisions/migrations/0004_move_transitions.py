"""Adopt the window-transition bookkeeping from the elections app: state only, the tables
(elections_windowtransition, elections_windowtransitionbatch) already exist and keep their names."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('elections', '0009_move_transitions'),
        ('policy', '0003_decision_action_kinds'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='WindowTransition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('window_ref', models.BigIntegerField()),
                        ('kind', models.CharField(choices=[('opened', 'Window opened'), ('closed', 'Window closed')], max_length=8)),
                        ('boundary_at', models.DateTimeField(help_text="the window's start (opened) or end (closed), UTC")),
                        ('country', models.CharField(max_length=2)),
                        ('regions', models.JSONField(blank=True, default=list)),
                        ('window_label', models.CharField(blank=True, max_length=300)),
                        ('recorded_at', models.DateTimeField()),
                        ('cases_total', models.PositiveIntegerField(default=0)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('window', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='transitions', to='elections.silencewindow')),
                    ],
                    options={
                        'db_table': 'elections_windowtransition',
                        'ordering': ['boundary_at', 'kind'],
                    },
                ),
                migrations.CreateModel(
                    name='WindowTransitionBatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('case_ids', models.JSONField(default=list)),
                        ('state', models.CharField(choices=[('pending', 'Pending'), ('running', 'Running'), ('done', 'Done')], default='pending', max_length=8)),
                        ('enqueued_at', models.DateTimeField(blank=True, null=True)),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('done_at', models.DateTimeField(blank=True, null=True)),
                        ('failed_case_ids', models.JSONField(blank=True, default=list)),
                        ('transition', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='batches', to='policy.windowtransition')),
                    ],
                    options={
                        'db_table': 'elections_windowtransitionbatch',
                        'ordering': ['transition', 'pk'],
                    },
                ),
                migrations.AddIndex(
                    model_name='windowtransition',
                    index=models.Index(fields=['finished_at'], name='elections_w_finishe_1d4807_idx'),
                ),
                migrations.AddIndex(
                    model_name='windowtransition',
                    index=models.Index(fields=['window', 'kind'], name='elections_w_window__b39aee_idx'),
                ),
                migrations.AddConstraint(
                    model_name='windowtransition',
                    constraint=models.UniqueConstraint(fields=('window_ref', 'kind', 'boundary_at'), name='one_transition_per_window_boundary'),
                ),
                migrations.AddIndex(
                    model_name='windowtransitionbatch',
                    index=models.Index(fields=['state', 'enqueued_at'], name='elections_w_state_a81293_idx'),
                ),
            ],
        ),
    ]
