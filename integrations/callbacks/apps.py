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
        # Submissions that joined a decided case after its fan-out and whose catch-up was lost.
        # Every minute: a lost catch-up costs at most a minute plus CALLBACK_CATCH_UP_GRACE_SECONDS.
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "callbacks-catch-up-missed",
            {"task": "integrations.callbacks.tasks.catch_up_missed_deliveries", "schedule": 60.0},
        )

        from config.metrics import metrics_collector_register

        from .metrics import DeliveriesCollector

        metrics_collector_register("callbacks", DeliveriesCollector())
