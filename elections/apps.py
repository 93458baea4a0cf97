from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "elections"
    label = "elections"
    verbose_name = "Election calendar"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported once the app registry is ready: these modules need the models.
        from config.metrics import metrics_collector_register

        from . import signals  # noqa: F401 - connects the window recomputation handlers
        from .metrics import CalendarCollector

        metrics_collector_register("calendar", CalendarCollector())
