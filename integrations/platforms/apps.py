from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "integrations.platforms"
    label = "platforms"
    verbose_name = "Platforms"
    default_auto_field = "django.db.models.BigAutoField"
