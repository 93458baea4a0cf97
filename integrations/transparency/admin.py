from django.contrib import admin
from django.http import HttpResponse

from config.admin_mixins import ReadOnlyAdminMixin

from .models import StatementOfReasons
from .selectors import statements_export


def _export(queryset, fmt: str) -> HttpResponse:
    statements = list(queryset.filter(valid=True).order_by("decided_at", "pk"))
    content_type = "text/csv" if fmt == "csv" else "application/json"
    response = HttpResponse(statements_export(statements=statements, fmt=fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="statements-of-reasons.{fmt}"'
    return response


@admin.register(StatementOfReasons)
class StatementOfReasonsAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["puid", "platform", "valid", "decided_at", "decision"]
    list_filter = ["valid", "platform"]
    search_fields = ["puid"]
    date_hierarchy = "decided_at"
    readonly_fields = [f.name for f in StatementOfReasons._meta.fields]
    actions = ["export_json", "export_csv"]

    @admin.action(description="Export selected valid statements as JSON", permissions=["view"])
    def export_json(self, request, queryset):
        return _export(queryset, "json")

    @admin.action(description="Export selected valid statements as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        return _export(queryset, "csv")
