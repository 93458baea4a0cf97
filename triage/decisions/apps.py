from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "triage.decisions"
    label = "policy"
    verbose_name = "Policy and decisions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the verdict and media receivers
