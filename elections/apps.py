from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "elections"
    label = "elections"
    verbose_name = "Election calendar"
    default_auto_field = "django.db.models.BigAutoField"
