from django.apps import AppConfig


class CallbacksConfig(AppConfig):
    name = "integrations.callbacks"
    label = "callbacks"
    verbose_name = "Decision callbacks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported once the app registry is ready: these modules need the models.
        from config.metrics import metrics_collector_register
        from triage.moderation.overview_sources import overview_source_register

        from . import receivers  # noqa: F401  (connects the decision_made receiver)
        from .metrics import DeliveriesCollector
        from .overview import callbacks_overview

        # The dashboard's overview shows undelivered callbacks and dead letters through its registry.
        overview_source_register("callbacks", callbacks_overview)
        metrics_collector_register("callbacks", DeliveriesCollector())
