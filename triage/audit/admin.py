from django.contrib import admin

from config.admin_mixins import ReadOnlyAdminMixin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the log can be searched and read, never edited or pruned."""

    list_display = ("at", "actor_kind", "actor_user", "action", "case", "policy_version")
    list_filter = ("actor_kind", "action")
    search_fields = ("action", "case__id")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
