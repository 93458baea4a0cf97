from django.apps import AppConfig


class ChatConfig(AppConfig):
    """Moderation notifications to a chat channel's incoming webhook (no models)."""

    name = "integrations.chat"
    label = "chat"
    verbose_name = "Chat notifications"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (listens for missed review deadlines)
