from django.apps import AppConfig


class PartnerWebhooksConfig(AppConfig):
    name = "integrations.partner_webhooks"
    label = "partner_webhooks"
    verbose_name = "Partner webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from . import receivers  # noqa: F401  (new cases in scope, decisions on assessed cases)

        # The outbox's engine, as for platform callbacks: due rows are sent, lost claims recovered.
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "partner-webhooks-dispatch-due",
            {"task": "moratorium.partner_webhooks.dispatch_due", "schedule": 15.0},
        )
