from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    label = "triage"
    verbose_name = "Triage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported once the app registry is ready: these modules need the models.
        from config.health import readiness_check_register
        from config.metrics import metrics_collector_register

        from .intake import clustering, tasks  # noqa: F401 - intake is a package of this app, not an app
        from .metrics import TriageCollector
        from .readiness import worker_seen_recently

        readiness_check_register("worker", worker_seen_recently)
        metrics_collector_register("triage", TriageCollector())
