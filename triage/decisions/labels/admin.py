"""Label texts in the admin: read every version; add a new draft, mark reviewed or retired.

A saved text is never edited in place (a change is a new version, services.py), so the change
form is read-only and "add" writes a new draft version through the service, audited.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from .models import LabelText
from .services import label_text_retire, label_text_review, label_text_write


@admin.register(LabelText)
class LabelTextAdmin(admin.ModelAdmin):
    list_display = ("kind", "channel", "language", "version", "status", "reviewed_by", "reviewed_at", "text")
    list_filter = ("status", "channel", "language", "kind")
    search_fields = ("text", "source_text")
    fields = ("kind", "channel", "language", "text", "plural_forms", "note")
    actions = ["mark_reviewed", "mark_retired"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (*self.fields, "version", "status", "source_text", "reviewed_by", "reviewed_at", "created_by")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            row = label_text_write(
                kind=obj.kind,
                channel=obj.channel,
                language=obj.language,
                text=obj.text,
                plural_forms=obj.plural_forms,
                user=request.user,
                note=obj.note or "added in the admin",
            )
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return
        if row is not None:
            obj.pk = row.pk

    def _status_action(self, request, queryset, service, verb):
        if not request.user.has_perm("labels.review_labeltext"):
            self.message_user(request, "You may not review label texts.", messages.ERROR)
            return
        for row in queryset:
            service(text_id=row.pk, user=request.user)
        self.message_user(request, f"{queryset.count()} text(s) {verb}.")

    @admin.action(description="Mark reviewed (by me, now)")
    def mark_reviewed(self, request, queryset):
        self._status_action(request, queryset, label_text_review, "marked reviewed")

    @admin.action(description="Retire (never shown again)")
    def mark_retired(self, request, queryset):
        self._status_action(request, queryset, label_text_retire, "retired")
