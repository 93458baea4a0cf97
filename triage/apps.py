from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    label = "triage"
    verbose_name = "Triage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The intake stage is a package of this app, not an installed app of its own: its tasks
        # and its media_item_stored receiver are registered here.
        from config.health import readiness_check_register

        from .intake import clustering, tasks  # noqa: F401
        from .readiness import worker_seen_recently

        readiness_check_register("worker", worker_seen_recently)

        from config.metrics import metrics_collector_register

        from .metrics import TriageCollector

        metrics_collector_register("triage", TriageCollector())
