from django.apps import AppConfig


class CallbacksConfig(AppConfig):
    name = "integrations.callbacks"
    label = "callbacks"
    verbose_name = "Decision callbacks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from . import receivers  # noqa: F401  (connects the decision_made receiver)

        # The outbox's engine: retries are due rows in the database, not day-long countdowns
        # parked in the broker. Every tick enqueues what is due and recovers lost claims.
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "callbacks-dispatch-due", {"task": "integrations.callbacks.tasks.dispatch_due", "schedule": 15.0}
        )
