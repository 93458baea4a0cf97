from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "triage.policy"
    label = "policy"
    verbose_name = "Policy and decisions"
    default_auto_field = "django.db.models.BigAutoField"
