from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "integrations.transparency"
    label = "transparency"
    verbose_name = "Transparency (DSA statements of reasons)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from . import receivers  # noqa: F401  (stores a statement for each restricting decision)

        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "transparency-sweep-statements",
            {"task": "integrations.transparency.tasks.sweep_statements", "schedule": 60.0},
        )
