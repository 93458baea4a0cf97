from django.apps import AppConfig


class CallbacksConfig(AppConfig):
    name = "integrations.callbacks"
    label = "callbacks"
    verbose_name = "Decision callbacks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the decision_made receiver)
