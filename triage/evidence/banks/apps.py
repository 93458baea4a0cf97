from django.apps import AppConfig


class BanksConfig(AppConfig):
    name = "triage.evidence.banks"
    label = "banks"
    verbose_name = "Fingerprint banks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported once the app registry is ready: these modules need the models.
        from config.health import readiness_check_register

        from .readiness import bank_indexes_loadable

        readiness_check_register("bank_indexes", bank_indexes_loadable)
