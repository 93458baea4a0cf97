from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from .models import PartnerDelivery, PartnerDeliveryState
from .services import delivery_retry


@admin.register(PartnerDelivery)
class PartnerDeliveryAdmin(admin.ModelAdmin):
    """Partner webhook deliveries and their dead letters (filter state: Dead letter)."""

    list_display = [
        "pk",
        "partner",
        "event",
        "case",
        "state",
        "attempts",
        "last_status",
        "next_attempt_at",
        "dead_at",
    ]
    list_filter = ["state", "event", "partner"]
    search_fields = ["idempotency_key"]
    readonly_fields = [f.name for f in PartnerDelivery._meta.fields]
    actions = ["retry_dead_letters"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Retry selected dead letters now", permissions=["change"])
    def retry_dead_letters(self, request, queryset):
        retried = 0
        for delivery in queryset.filter(state=PartnerDeliveryState.DEAD):
            try:
                delivery_retry(delivery_id=delivery.pk, user=request.user)
                retried += 1
            except ValidationError as exc:
                self.message_user(
                    request, f"Delivery {delivery.pk}: {' '.join(exc.messages)}", messages.WARNING
                )
        self.message_user(request, f"{retried} dead letter(s) queued again.", messages.SUCCESS)
