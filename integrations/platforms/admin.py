from django.contrib import admin, messages

from .models import Platform
from .services import platform_retire_previous_secret, platform_rotate_secret


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "enabled", "allow_private_fetch", "rotation_in_progress", "created_at"]
    list_filter = ["enabled", "allow_private_fetch"]
    search_fields = ["slug", "name"]
    readonly_fields = ["secret_rotated_at", "created_at"]
    actions = ["rotate_secret", "retire_previous_secret"]

    @admin.display(boolean=True, description="two secrets active")
    def rotation_in_progress(self, platform: Platform) -> bool:
        return bool(platform.previous_signing_secret_encrypted)

    def has_add_permission(self, request) -> bool:
        # A platform is born with a secret that must be shown once: use `manage.py create_platform`.
        return False

    @admin.action(description="Rotate the signing secret (the old one keeps working until retired)")
    def rotate_secret(self, request, queryset):
        for platform in queryset:
            secret = platform_rotate_secret(platform=platform)
            self.message_user(
                request,
                f"New signing secret for {platform.slug} (shown once, store it now): {secret}",
                messages.WARNING,
            )

    @admin.action(description="Retire the previous signing secret (end the rotation)")
    def retire_previous_secret(self, request, queryset):
        for platform in queryset:
            platform_retire_previous_secret(platform=platform)
        self.message_user(request, f"Previous secrets retired for {queryset.count()} platform(s).")
