from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "integrations.partners"
    label = "partners"
    verbose_name = "Partner API tokens"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (re-decide a case when a partner assesses it)
