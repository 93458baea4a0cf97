from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    label = "triage"
    verbose_name = "Triage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from . import clustering  # noqa: F401 - connects the media_item_stored catch-up receiver

        # The safety net behind enqueue-on-commit: a lost message or a broker that was down at
        # ingest costs at most a sweep interval plus SUBMISSION_SWEEP_AFTER_SECONDS.
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "triage-sweep-submissions",
            # Also takes back claims of dead workers, so it runs as often as the claim sweep.
            {"task": "triage.tasks.sweep_submissions", "schedule": float(settings.CLAIM_SWEEP_SECONDS)},
        )

        from config.health import readiness_check_register

        from .readiness import worker_seen_recently

        readiness_check_register("worker", worker_seen_recently)

        from config.metrics import metrics_collector_register

        from .metrics import TriageCollector

        metrics_collector_register("triage", TriageCollector())
