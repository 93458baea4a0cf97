from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from .models import CaseShare, PartnerAssessment, PartnerOrganisation, PartnerToken
from .services import case_share, partner_token_revoke, partner_token_rotate


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


# Organisations and their scope, shares, assessments; rotating a token. ----------------------------


@admin.action(description="Rotate the selected tokens (the new secret is shown once)")
def rotate_tokens(modeladmin, request, queryset) -> None:
    for token in queryset:
        try:
            new, raw = partner_token_rotate(token=token, user=request.user)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{token}: {' '.join(exc.messages)}", messages.WARNING)
            continue
        modeladmin.message_user(
            request, f"New token for {new.name} (store it now, shown only once): {raw}", messages.SUCCESS
        )


PartnerTokenAdmin.actions = ["revoke", rotate_tokens]
PartnerTokenAdmin.list_display = [*PartnerTokenAdmin.list_display, "partner", "expires_at"]
PartnerTokenAdmin.readonly_fields = [
    *PartnerTokenAdmin.readonly_fields,
    "partner",
    "expires_at",
    "rotated_from",
]


class PartnerTokenInline(admin.TabularInline):
    model = PartnerToken
    fk_name = "partner"
    extra = 0
    can_delete = False
    fields = ["name", "prefix", "scopes", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # `create_partner_token --partner NAME`: the secret is shown once there


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    """The scope (countries, languages) says which cases the organisation's tokens see."""

    list_display = ["name", "countries", "languages", "enabled", "webhook_url"]
    list_filter = ["enabled"]
    search_fields = ["name"]
    fields = ["name", "url", "countries", "languages", "enabled", "webhook_url", "webhook_events",
              "webhook_allow_private"]  # fmt: skip
    readonly_fields = ["webhook_url", "webhook_events"]
    inlines = [PartnerTokenInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # disable instead: its assessments and the audit trail refer to it


@admin.register(CaseShare)
class CaseShareAdmin(admin.ModelAdmin):
    """Show a case outside a partner's scope to that partner."""

    list_display = ["case", "partner", "shared_by", "created_at"]
    raw_id_fields = ["case"]
    readonly_fields = ["shared_by", "created_at"]

    def save_model(self, request, obj, form, change) -> None:

        if change:
            super().save_model(request, obj, form, change)
        else:
            case_share(case_id=obj.case_id, partner=obj.partner, user=request.user, note=obj.note)


@admin.register(PartnerAssessment)
class PartnerAssessmentAdmin(admin.ModelAdmin):
    """Partners' fact-checks, read-only here (partners write them; moderators confirm debunks)."""

    list_display = ["case", "partner", "media_authenticity_category", "rating_alternate_name", "state",
                    "debunk_state", "updated_at"]  # fmt: skip
    list_filter = ["state", "debunk_state", "media_authenticity_category", "partner"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in PartnerAssessment._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
