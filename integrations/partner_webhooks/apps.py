from django.apps import AppConfig


class PartnerWebhooksConfig(AppConfig):
    name = "integrations.partner_webhooks"
    label = "partner_webhooks"
    verbose_name = "Partner webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (new cases in scope, decisions on assessed cases)
