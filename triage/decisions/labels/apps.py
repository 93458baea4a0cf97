from django.apps import AppConfig


class LabelsConfig(AppConfig):
    name = "triage.decisions.labels"
    label = "labels"
    verbose_name = "Label texts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import texts  # noqa: F401 - connects the cache invalidation receivers
