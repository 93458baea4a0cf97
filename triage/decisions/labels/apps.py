from django.apps import AppConfig


class LabelsConfig(AppConfig):
    name = "triage.decisions.labels"
    label = "labels"
    verbose_name = "Label texts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import prepend, texts  # noqa: F401 - the disclosed-copy task; cache invalidation receivers
