from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from .models import Delivery, DeliveryAttempt, DeliveryState
from .services import delivery_retry


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = [
        "number",
        "started_at",
        "status_code",
        "response_ms",
        "outcome",
        "retry_at",
        "url",
        "error",
        "response_excerpt",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Deliveries and the dead-letter list (filter state: Dead letter); retry is an action."""

    list_display = [
        "pk",
        "platform",
        "content_id",
        "decision",
        "state",
        "attempts",
        "last_status",
        "next_attempt_at",
        "dead_at",
    ]
    list_filter = ["state", "platform"]
    search_fields = ["content_id", "idempotency_key"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    inlines = [DeliveryAttemptInline]
    actions = ["retry_dead_letters"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Retry selected dead letters now", permissions=["change"])
    def retry_dead_letters(self, request, queryset):
        retried = 0
        for delivery in queryset.filter(state=DeliveryState.DEAD):
            try:
                delivery_retry(delivery_id=delivery.pk, user=request.user)
                retried += 1
            except ValidationError as exc:
                self.message_user(
                    request, f"Delivery {delivery.pk}: {' '.join(exc.messages)}", messages.WARNING
                )
        self.message_user(request, f"{retried} dead letter(s) queued again.", messages.SUCCESS)
