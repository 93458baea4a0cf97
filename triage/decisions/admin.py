"""Admin for policy versions (validated on save, immutable once active) and decisions (read-only)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

from config.admin_mixins import ReadOnlyAdminMixin

from . import services
from .engine import rules_describe, rules_validate
from .models import Decision, PolicyStatus, PolicyVersion, WindowTransition, WindowTransitionBatch

SHADOW_DAYS = 7


class PolicyVersionForm(forms.ModelForm):
    class Meta:
        model = PolicyVersion
        fields = ["description", "rules"]
        widgets = {
            "rules": forms.Textarea(attrs={"rows": 30, "cols": 120, "style": "font-family: monospace"})
        }

    def clean_rules(self):
        rules = self.cleaned_data.get("rules")
        errors = rules_validate(rules)
        if errors:
            raise ValidationError([f"{key}: {msg}" for key, msgs in errors.items() for msg in msgs])
        return rules


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    """Drafts are edited here; active and retired versions are read-only (copy one to a new draft)."""

    form = PolicyVersionForm
    list_display = ["version", "status", "description", "created_at", "activated_at"]
    list_filter = ["status"]
    actions = ["shadow_run", "activate", "redecide_open_cases", "copy_to_draft"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != PolicyStatus.DRAFT:
            return ["version", "status", "description", "rules_pretty", "rules_summary", "activated_at"]
        return ["version", "status", "rules_summary"]

    def get_fields(self, request, obj=None):
        if obj is not None and obj.status != PolicyStatus.DRAFT:
            return ["version", "status", "description", "rules_summary", "rules_pretty", "activated_at"]
        return ["version", "status", "description", "rules_summary", "rules"]

    @admin.display(description="rules (JSON)")
    def rules_pretty(self, obj):
        return json.dumps(obj.rules, indent=2, ensure_ascii=False)

    @admin.display(
        description='rules in evaluation order (the first friction rule decides; every "also" rule adds)'
    )
    def rules_summary(self, obj):
        if obj is None or not isinstance(obj.rules, dict) or rules_validate(obj.rules):
            return "—"
        return "\n".join(rules_describe(obj.rules))

    def has_delete_permission(self, request, obj=None):
        # Decisions point at their version; drafts nobody used may go.
        return obj is None or (obj.status == PolicyStatus.DRAFT and not obj.decisions.exists())

    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            draft = services.policy_draft_create(
                rules=obj.rules, description=obj.description, user=request.user
            )
            obj.pk, obj.version, obj.status = draft.pk, draft.version, draft.status
            obj._state.adding = False
            return
        if PolicyVersion.objects.filter(pk=obj.pk, status=PolicyStatus.DRAFT).exists():
            super().save_model(request, obj, form, change)

    @admin.action(description=f"Shadow run over the last {SHADOW_DAYS} days (writes nothing)")
    def shadow_run(self, request, queryset):
        try:
            reports = [services.policy_shadow_run(policy_version_id=v.pk, days=SHADOW_DAYS) for v in queryset]
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return None
        context = {**self.admin_site.each_context(request), "reports": reports, "title": "Shadow run"}
        return TemplateResponse(request, "admin/policy/shadow_report.html", context)

    # Activating changes what every later decision is: those who may only view versions may not.
    @admin.action(description="Activate (retires the active version)", permissions=["change"])
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one version to activate.", messages.ERROR)
            return
        try:
            version = services.policy_activate(policy_version_id=queryset.get().pk, user=request.user)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return
        self.message_user(request, f"Policy v{version.version} is now active.")

    @admin.action(
        description="Re-decide open cases with this active version (changed decisions go to platforms)",
        permissions=["change"],
    )
    def redecide_open_cases(self, request, queryset):
        if queryset.count() != 1 or queryset.get().status != PolicyStatus.ACTIVE:
            self.message_user(
                request, "Select the active version (only) to re-decide open cases.", messages.ERROR
            )
            return
        try:
            queued = services.cases_redecide_with_active_policy(user=request.user)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return
        version = queryset.get().version
        self.message_user(
            request,
            f"{queued} open cases queued for re-decision with policy v{version}; "
            "only the decisions that change are written and sent to platforms.",
        )

    @admin.action(description="Copy to a new draft", permissions=["add"])
    def copy_to_draft(self, request, queryset):
        for version in queryset:
            draft = services.policy_draft_create(
                rules=version.rules,
                description=f"Copy of v{version.version}: {version.description}"[:500],
                user=request.user,
                based_on=version,
            )
            self.message_user(request, f"Draft v{draft.version} created from v{version.version}.")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: decisions are made by the policy or through the moderator services."""

    list_display = [
        "decision_id",
        "case",
        "phase",
        "decided_by",
        "hold_reason",
        "review_deadline",
        "is_current",
        "created_at",
    ]
    list_filter = ["phase", "decided_by", "is_current", "hold_reason"]
    search_fields = ["case__id"]
    readonly_fields = [f.name for f in Decision._meta.fields]


class WindowTransitionBatchInline(admin.TabularInline):
    model = WindowTransitionBatch
    fields = ["state", "case_count", "enqueued_at", "claimed_at", "done_at", "failed_case_ids"]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="cases")
    def case_count(self, batch) -> int:
        return len(batch.case_ids)


@admin.register(WindowTransition)
class WindowTransitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the record of each window opening and closing and how its re-evaluation went."""

    list_display = ["window_label", "kind", "boundary_at", "recorded_at", "cases_total", "finished_at"]
    list_filter = ["kind", "country"]
    search_fields = ["window_label"]
    readonly_fields = [f.name for f in WindowTransition._meta.fields]
    inlines = [WindowTransitionBatchInline]
