from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "triage.moderation"
    label = "dashboard"
    verbose_name = "Moderator dashboard"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import overview_snapshot  # noqa: F401 - registers the snapshot task
