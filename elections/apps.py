from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "elections"
    label = "elections"
    verbose_name = "Election calendar"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the window recomputation handlers
