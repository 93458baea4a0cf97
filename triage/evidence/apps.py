from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "triage.evidence"
    label = "checks"
    verbose_name = "Checks and verdicts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the media_item_stored receiver
