from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "integrations.platforms"
    label = "platforms"
    verbose_name = "Platforms"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from triage.intake.downloads import media_downloader_register

        from .media import platform_media_download

        media_downloader_register(platform_media_download)
