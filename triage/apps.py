from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    label = "triage"
    verbose_name = "Triage"
    default_auto_field = "django.db.models.BigAutoField"
