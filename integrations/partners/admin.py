from django.contrib import admin, messages

from .models import PartnerToken
from .services import partner_token_revoke


@admin.register(PartnerToken)
class PartnerTokenAdmin(admin.ModelAdmin):
    """Tokens are created by `manage.py create_partner_token` (the secret is shown once there); here
    an operator reviews them and revokes them."""

    list_display = ["name", "prefix", "scopes", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix"]
    readonly_fields = ["name", "prefix", "scopes", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoke instead: the record of who held a token stays

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset) -> None:
        for token in queryset:
            partner_token_revoke(token=token, user=request.user)
        self.message_user(request, f"Revoked {queryset.count()} token(s).", messages.SUCCESS)
