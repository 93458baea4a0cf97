from django.apps import AppConfig


class BanksConfig(AppConfig):
    name = "triage.evidence.banks"
    label = "banks"
    verbose_name = "Fingerprint banks"
    default_auto_field = "django.db.models.BigAutoField"
