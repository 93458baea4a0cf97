from datetime import timedelta

from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "triage.checks"
    label = "checks"
    verbose_name = "Checks and verdicts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from . import receivers  # noqa: F401 - connects the media_item_stored receiver

        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "checks-expire-stale",
            {
                "task": "triage.checks.tasks.checks_expire_stale_task",
                "schedule": timedelta(seconds=settings.CLAIM_SWEEP_SECONDS),
            },
        )
