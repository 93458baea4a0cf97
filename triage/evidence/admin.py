from django import forms
from django.contrib import admin
from django.db import models

from .models import CheckResult, CheckRun, DetectorConfig, GeneratorSignature, Verdict
from .registry import detector_adapter_choices


@admin.register(GeneratorSignature)
class GeneratorSignatureAdmin(admin.ModelAdmin):
    list_display = ["field", "pattern", "generator", "declares_ai", "enabled"]
    list_filter = ["field", "declares_ai", "enabled"]
    search_fields = ["pattern", "generator"]


@admin.register(DetectorConfig)
class DetectorConfigAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "adapter",
        "base_url",
        "threshold",
        "weight",
        "trusted",
        "enabled",
        "circuit_open_until",
    ]
    list_filter = ["adapter", "enabled", "trusted"]
    readonly_fields = ["consecutive_failures", "circuit_open_until", "last_error"]
    # A base URL typed without a scheme means https (Django 6's default, opted into now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "adapter":  # the registered vendors, read when the form is built
            return forms.ChoiceField(choices=detector_adapter_choices, label="Adapter")
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(CheckResult)
class CheckResultAdmin(admin.ModelAdmin):
    list_display = ["media_item", "kind", "version", "state", "label", "score", "duration_ms", "attempts"]
    list_filter = ["kind", "state"]
    readonly_fields = [f.name for f in CheckResult._meta.fields]


@admin.register(Verdict)
class VerdictAdmin(admin.ModelAdmin):
    list_display = ["media_item", "label", "confidence", "tampered_provenance", "created_at"]
    list_filter = ["label", "tampered_provenance"]
    readonly_fields = [f.name for f in Verdict._meta.fields]


@admin.register(CheckRun)
class CheckRunAdmin(admin.ModelAdmin):
    list_display = ["media_item", "created_at", "fused_at"]
