from django.apps import AppConfig

from config.warmup import warmup_register


class PlatformsConfig(AppConfig):
    name = "integrations.platforms"
    label = "platforms"
    verbose_name = "Platforms"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # models can be imported once the app registry is ready
        from triage.intake.downloads import media_downloader_register

        # models can be imported once the app registry is ready
        from .media import platform_media_download

        media_downloader_register(platform_media_download)

        # receivers connect to the models' signals, which need the registry ready
        from . import receivers  # noqa: F401

        # the step imports views and serializers, which need the registry ready
        from .warmup import webhook_warm

        warmup_register("webhook", webhook_warm)
