from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "triage.decisions"
    label = "policy"
    verbose_name = "Policy and decisions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported once the app registry is ready: these modules need the models.
        from config.health import readiness_check_register

        from . import receivers  # noqa: F401 - connects the verdict and media receivers
        from .readiness import transitions_on_time

        # /readyz: a window boundary passed without its transition means silence holds are late.
        readiness_check_register("calendar_transitions", transitions_on_time)
