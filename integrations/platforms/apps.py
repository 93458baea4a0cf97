from django.apps import AppConfig


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
