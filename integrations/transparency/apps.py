from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "integrations.transparency"
    label = "transparency"
    verbose_name = "Transparency (DSA statements of reasons)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (stores a statement for each restricting decision)
