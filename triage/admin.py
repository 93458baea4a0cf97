from django.contrib import admin

from .models import Case, MediaItem, ReachSample, Submission, SubmissionEvent, SubmissionMedia


@admin.register(MediaItem)
class MediaItemAdmin(admin.ModelAdmin):
    list_display = ["sha256", "media_type", "mime_type", "size_bytes", "created_at"]
    list_filter = ["media_type"]
    search_fields = ["sha256", "original_name"]
    readonly_fields = [f.name for f in MediaItem._meta.fields]


class SubmissionMediaInline(admin.TabularInline):
    model = SubmissionMedia
    fk_name = "submission"
    extra = 0
    can_delete = False
    fields = ["position", "url", "original_name", "state", "media_item", "case", "type_mismatch", "error"]
    readonly_fields = fields


class SubmissionEventInline(admin.TabularInline):
    model = SubmissionEvent
    extra = 0
    can_delete = False
    fields = ["event_id", "kind", "received_at"]
    readonly_fields = fields


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = [
        "content_id",
        "platform",
        "state",
        "report_source",
        "report_reason",
        "views",
        "case_number",
        "created_at",
    ]
    # Not select_related() on every foreign key: a submission no worker has picked up has no case
    # row yet, and the inner join would hide it.
    list_select_related = ["platform"]
    list_filter = ["state", "platform", "report_source", "report_reason"]
    search_fields = ["content_id", "first_event_id", "events__event_id"]
    readonly_fields = [
        "platform",
        "case",
        "state",
        "due_at",
        "claimed_at",
        "processed_at",
        "attempts",
        "error",
    ]
    inlines = [SubmissionMediaInline, SubmissionEventInline]

    @admin.display(description="case", ordering="case_id")
    def case_number(self, submission: Submission) -> int:
        # The id, not the case: a submission no worker has picked up yet has no case row (its
        # id is reserved), and listing the case itself would join it away.
        return submission.case_id


class CaseMediaInline(admin.TabularInline):
    model = SubmissionMedia
    fk_name = "case"
    extra = 0
    can_delete = False
    verbose_name_plural = "reports (one per reported media entry)"
    fields = ["submission", "url", "state", "type_mismatch", "error"]
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "status",
        "priority",
        "media_item",
        "audience_key",
        "submission_count",
        "total_views",
    ]
    list_filter = ["status"]
    readonly_fields = ["media_item", "merged_into", "total_views", "total_shares", "submission_count"]
    inlines = [CaseMediaInline]


@admin.register(ReachSample)
class ReachSampleAdmin(admin.ModelAdmin):
    list_display = ["case", "at", "views", "shares", "case_views", "case_shares"]
    readonly_fields = [f.name for f in ReachSample._meta.fields]
