from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "elections"
    label = "elections"
    verbose_name = "Election calendar"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from . import signals  # noqa: F401 - connects the window recomputation handlers

        # Window openings and closings re-evaluate their cases within a minute (docs/transitions.md).
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "elections-window-transitions",
            {
                "task": "elections.tasks.window_transitions_run",
                "schedule": float(getattr(settings, "WINDOW_TRANSITION_BEAT_SECONDS", 20)),
            },
        )

        from config.health import readiness_check_register

        from .readiness import transitions_on_time

        readiness_check_register("calendar_transitions", transitions_on_time)

        from config.metrics import metrics_collector_register

        from .metrics import CalendarCollector

        metrics_collector_register("calendar", CalendarCollector())
