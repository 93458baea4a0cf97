from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "triage.dashboard"
    label = "dashboard"
    verbose_name = "Moderator dashboard"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from . import overview_snapshot  # noqa: F401 - registers the snapshot task

        # The overview's numbers are computed off the request path (docs/dashboard.md).
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "dashboard-overview-snapshot",
            {
                "task": "moratorium.dashboard.overview_snapshot",
                "schedule": float(settings.DASHBOARD_OVERVIEW_SNAPSHOT_SECONDS),
            },
        )
