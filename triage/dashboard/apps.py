from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "triage.dashboard"
    label = "dashboard"
    verbose_name = "Moderator dashboard"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from . import receivers  # noqa: F401  (reopens decided cases on new evidence)

        # Deadlines that bite (triage/dashboard/deadlines.py): `manage.py run_periodic_tasks`
        # reads the same schedule when there is no broker.
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "moderation-deadlines-sweep",
            {
                "task": "moratorium.moderation.deadlines_sweep",
                "schedule": float(getattr(settings, "MODERATION_DEADLINE_SWEEP_SECONDS", 30)),
            },
        )
