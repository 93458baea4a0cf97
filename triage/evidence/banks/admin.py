"""Admin for fingerprint banks: thresholds per bank, banked items searchable and filterable."""

from django.contrib import admin
from django.db.models import Count

from .models import BankedItem, FingerprintBank


@admin.register(FingerprintBank)
class FingerprintBankAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "purpose",
        "enabled",
        "item_count",
        "image_max_distance",
        "audio_min_hashes",
        "created",
    ]
    list_filter = ["purpose", "enabled"]
    search_fields = ["name", "description"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_item_count=Count("items"))

    @admin.display(description="Items", ordering="_item_count")
    def item_count(self, obj: FingerprintBank) -> int:
        return obj._item_count


@admin.register(BankedItem)
class BankedItemAdmin(admin.ModelAdmin):
    list_display = ["original_name", "bank", "media_type", "short_sha256", "added_by", "added_at"]
    list_filter = ["bank__purpose", "bank", "media_type"]
    search_fields = ["sha256", "original_name", "notes"]
    list_select_related = ["bank", "added_by"]
    raw_id_fields = ["media_item", "added_by"]
    # The fingerprint is binary and only meaningful to the matcher.
    exclude = ["fingerprint"]
    readonly_fields = ["sha256", "media_type", "fingerprint_version", "duration_seconds", "added_at"]

    @admin.display(description="SHA-256")
    def short_sha256(self, obj: BankedItem) -> str:
        return obj.sha256[:12]
