from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "triage.audit"
    label = "audit"
    verbose_name = "Audit log"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - audit records for the elections' signals
