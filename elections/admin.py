"""Admin for the election calendar: countries and rules, elections and phases, windows, public figures.

"In silence now" is a column and a filter on countries, elections and windows. Windows are
computed (never edited or deleted by hand); an operator extends or shortens one on its own
page, with a reason, through services.window_adjust, and every change is listed read-only
underneath. Lists are edited as plain text ("2024-04-19; 2024-04-26") rather than JSON.
"""

import re
from datetime import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.html import format_html_join

from config.admin_mixins import ReadOnlyAdminMixin

from .admin_dates import confirm_election_date_action
from .models import (
    AuthorizedLikeness,
    Country,
    Election,
    ElectionPhase,
    Person,
    PersonRole,
    SilenceRule,
    SilenceWindow,
    WindowAdjustment,
)
from .plain import rule_short
from .services import window_adjust
from .validation import parse_day
from .windows import resolve_local, to_local

LOCAL_FORMAT = "%Y-%m-%d %H:%M %Z"


class TextListField(forms.CharField):
    """A list edited as text: items separated by semicolons, commas or new lines."""

    def __init__(self, *args, dates: bool = False, **kwargs):
        self.dates = dates
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"size": 80}))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "; ".join(str(item) for item in value)
        return value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return list(value)
        items = [item.strip() for item in re.split(r"[;,\n]", value or "") if item.strip()]
        if self.dates:
            try:
                return [parse_day(item).isoformat() for item in items]
            except ValueError:
                raise ValidationError("Enter ISO dates (YYYY-MM-DD) separated by semicolons.") from None
        return items

    def has_changed(self, initial, data):
        return self.to_python(initial if initial is not None else []) != self.to_python(data)


def _list_field_callback(dates_fields: set[str]):
    def callback(db_field, **kwargs):
        if db_field.get_internal_type() == "JSONField":
            return TextListField(
                label=db_field.verbose_name.capitalize(),
                help_text=db_field.help_text,
                required=not db_field.blank,
                dates=db_field.name in dates_fields,
            )
        return db_field.formfield(**kwargs)

    return callback


class TextListsMixin:
    """Edit every JSON list field of the model as text."""

    date_list_fields: set[str] = {"voting_days"}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.get_internal_type() == "JSONField":
            return _list_field_callback(self.date_list_fields)(db_field)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def _active_windows(now: datetime) -> QuerySet[SilenceWindow]:
    return SilenceWindow.objects.filter(start__lte=now, end__gt=now)


class SilenceNowFilter(admin.SimpleListFilter):
    """In silence now / with a window coming / neither, judged at the moment the page loads."""

    title = "silence"
    parameter_name = "silence"

    def lookups(self, request, model_admin):
        return [("now", "In silence now"), ("upcoming", "Upcoming window"), ("none", "Not in silence")]

    def queryset(self, request, queryset):
        now = timezone.now()
        value = self.value()
        if queryset.model is SilenceWindow:
            if value == "now":
                return queryset.filter(start__lte=now, end__gt=now)
            if value == "upcoming":
                return queryset.filter(start__gt=now)
            if value == "none":
                return queryset.exclude(start__lte=now, end__gt=now)
            return queryset
        link = "country" if queryset.model is Country else "election"
        active = Exists(_active_windows(now).filter(**{link: OuterRef("pk")}))
        upcoming = Exists(SilenceWindow.objects.filter(start__gt=now, **{link: OuterRef("pk")}))
        if value == "now":
            return queryset.filter(active)
        if value == "upcoming":
            return queryset.filter(upcoming)
        if value == "none":
            return queryset.exclude(active)
        return queryset


class HasRuleFilter(admin.SimpleListFilter):
    title = "silence rule"
    parameter_name = "rule"

    def lookups(self, request, model_admin):
        return [("yes", "Has a silence rule"), ("no", "No silence period")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(silence_rule__isnull=False)
        if self.value() == "no":
            return queryset.filter(silence_rule__isnull=True)
        return queryset


class SilenceRuleInline(TextListsMixin, admin.StackedInline):
    model = SilenceRule
    extra = 0
    max_num = 1


@admin.register(Country)
class CountryAdmin(TextListsMixin, admin.ModelAdmin):
    list_display = ["code", "name", "zones", "rule_summary", "in_silence_now"]
    list_filter = [SilenceNowFilter, HasRuleFilter]
    search_fields = ["code", "name"]
    inlines = [SilenceRuleInline]

    def get_queryset(self, request):
        now = timezone.now()
        return (
            super()
            .get_queryset(request)
            .select_related("silence_rule")
            .annotate(_in_silence=Exists(_active_windows(now).filter(country=OuterRef("pk"))))
        )

    @admin.display(description="time zones")
    def zones(self, country: Country) -> str:
        # One line on a laptop screen: the first zone and how many more (the page lists them all).
        more = len(country.time_zones) - 1
        return country.time_zones[0] + (f" +{more}" if more > 0 else "") if country.time_zones else ""

    @admin.display(description="silence rule (E = election day)")
    def rule_summary(self, country: Country) -> str:
        # The short form ("E−2 00:00 → polls close"); the rule in full is on the country's page.
        rule = getattr(country, "silence_rule", None)
        return rule_short(rule) if rule is not None else "No silence period."

    @admin.display(description="in silence now", boolean=True, ordering="_in_silence")
    def in_silence_now(self, country: Country) -> bool:
        return country._in_silence


@admin.register(SilenceRule)
class SilenceRuleAdmin(TextListsMixin, admin.ModelAdmin):
    list_display = ["country", "scope", "start_mode", "start_clock", "end_mode", "covers_online", "uncertain"]
    list_filter = ["scope", "start_mode", "end_mode", "covers_online", "uncertain"]
    search_fields = ["country__code", "country__name", "legal_basis", "notes"]
    list_select_related = ["country"]


class ElectionPhaseInline(TextListsMixin, admin.TabularInline):
    model = ElectionPhase
    extra = 0


class WindowInline(admin.TabularInline):
    """The election's computed windows, read-only; adjust one from its own page."""

    model = SilenceWindow
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["phase", "time_zone", "regions", "local_start", "local_end", "start", "end", "computed_end"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="starts (local)")
    def local_start(self, window: SilenceWindow) -> str:
        return to_local(window.start, window.time_zone).strftime(LOCAL_FORMAT)

    @admin.display(description="ends (local)")
    def local_end(self, window: SilenceWindow) -> str:
        return to_local(window.end, window.time_zone).strftime(LOCAL_FORMAT)


@admin.register(Election)
class ElectionAdmin(TextListsMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "country",
        "kind",
        "round",
        "region",
        "first_voting_day",
        "last_voting_day",
        "status",
        "in_silence_now",
    ]
    list_filter = [SilenceNowFilter, "status", "kind", "round", "country"]
    actions = [confirm_election_date_action]
    search_fields = ["name", "country__code", "country__name", "region"]
    date_hierarchy = "first_voting_day"
    list_select_related = ["country"]
    readonly_fields = [
        "first_voting_day",
        "last_voting_day",
        "first_day_start",
        "period_end",
        "date_confirmed_at",
        "date_confirmed_by",
    ]
    inlines = [ElectionPhaseInline, WindowInline]

    def get_queryset(self, request):
        now = timezone.now()
        return (
            super()
            .get_queryset(request)
            .annotate(_in_silence=Exists(_active_windows(now).filter(election=OuterRef("pk"))))
        )

    @admin.display(description="in silence now", boolean=True, ordering="_in_silence")
    def in_silence_now(self, election: Election) -> bool:
        return election._in_silence


class AdjustmentInline(admin.TabularInline):
    """The audit trail of a window: append-only, never edited or deleted here."""

    model = WindowAdjustment
    extra = 0
    can_delete = False
    fields = ["made_at", "made_by", "previous_end", "new_end", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WindowAdjustForm(forms.ModelForm):
    """Extend or shorten the window: the new end in the window's local time, and the reason."""

    new_end_local = forms.DateTimeField(
        label="New end (local time)",
        required=False,
        widget=forms.DateTimeInput(attrs={"placeholder": "YYYY-MM-DD HH:MM"}),
        help_text="Wall-clock time in the window's time zone, e.g. when the last polling station closed.",
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "cols": 80}), required=False)

    class Meta:
        model = SilenceWindow
        fields: list[str] = []

    def clean(self):
        cleaned = super().clean()
        local = cleaned.get("new_end_local")
        if local is None:
            if cleaned.get("reason"):
                self.add_error("new_end_local", "Enter the new end.")
            return cleaned
        # The form field made the naive input aware in UTC (the site's zone); read it as local.
        naive = (
            timezone.make_naive(local, timezone.get_current_timezone()) if timezone.is_aware(local) else local
        )
        cleaned["new_end"] = resolve_local(naive, self.instance.time_zone, edge="end")
        if not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Give the reason for the change (it is kept in the audit trail).")
        elif cleaned["new_end"] <= self.instance.start:
            self.add_error("new_end_local", "The new end must be after the window's start.")
        elif cleaned["new_end"] == self.instance.end:
            self.add_error("new_end_local", "The window already ends then.")
        return cleaned


@admin.register(SilenceWindow)
class SilenceWindowAdmin(admin.ModelAdmin):
    form = WindowAdjustForm
    # Start and end first: on a laptop screen they are what the list is read for.
    list_display = [
        "start",
        "end",
        "local_start",
        "local_end",
        "country",
        "election",
        "time_zone",
        "region_list",
        "adjusted",
        "in_silence_now",
    ]
    list_display_links = ["start"]
    list_filter = [SilenceNowFilter, "scope", "covers_online", "country"]
    search_fields = ["election__name", "country__code", "country__name", "time_zone", "regions_key"]
    list_select_related = ["election", "country"]
    date_hierarchy = "start"
    readonly_fields = [
        "election",
        "phase",
        "country",
        "time_zone",
        "region_list",
        "scope",
        "covers_online",
        "local_start",
        "local_end",
        "start",
        "end",
        "computed_start",
        "computed_end",
    ]
    fieldsets = [
        (None, {"fields": readonly_fields}),
        ("Extend or shorten", {"fields": ["new_end_local", "reason"]}),
    ]
    inlines = [AdjustmentInline]

    def has_add_permission(self, request):
        return False  # windows come from rules and elections

    def has_delete_permission(self, request, obj=None):
        return False  # a deleted window would come back on the next recomputation

    def save_model(self, request, obj, form, change):
        new_end = form.cleaned_data.get("new_end")
        if new_end is None:
            return
        try:
            window_adjust(window=obj, new_end=new_end, reason=form.cleaned_data["reason"], user=request.user)
        except ValidationError as exc:  # a concurrent change since the form was checked
            messages.error(request, "; ".join(exc.messages))
            return
        messages.success(request, f"Window now ends {to_local(new_end, obj.time_zone):{LOCAL_FORMAT}}.")

    @admin.display(description="regions")
    def region_list(self, window: SilenceWindow) -> str:
        if len(window.regions) > 3:  # an Indian phase lists dozens: keep the row one line high
            return ", ".join(window.regions[:3]) + f" +{len(window.regions) - 3}"
        return ", ".join(window.regions) or "whole country"

    @admin.display(description="starts (local)", ordering="start")
    def local_start(self, window: SilenceWindow) -> str:
        return to_local(window.start, window.time_zone).strftime(LOCAL_FORMAT)

    @admin.display(description="ends (local)", ordering="end")
    def local_end(self, window: SilenceWindow) -> str:
        return to_local(window.end, window.time_zone).strftime(LOCAL_FORMAT)

    @admin.display(description="adjusted", boolean=True)
    def adjusted(self, window: SilenceWindow) -> bool:
        return window.adjusted

    @admin.display(description="in silence now", boolean=True)
    def in_silence_now(self, window: SilenceWindow) -> bool:
        now = timezone.now()
        return window.start <= now < window.end


@admin.register(WindowAdjustment)
class WindowAdjustmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit trail of window changes: read-only, never deleted."""

    list_display = ["window_label", "previous_end", "new_end", "made_by", "made_at", "reason"]
    list_filter = ["window__country"]
    search_fields = ["reason", "window_label"]
    list_select_related = ["window__election", "made_by"]
    readonly_fields = ["window", "window_label", "previous_end", "new_end", "reason", "made_by", "made_at"]


class PersonRoleInline(admin.TabularInline):
    model = PersonRole
    extra = 0


class AuthorizedLikenessInline(admin.StackedInline):
    model = AuthorizedLikeness
    extra = 0


@admin.register(Person)
class PersonAdmin(TextListsMixin, admin.ModelAdmin):
    list_display = ["name", "country", "party", "alias_list"]
    list_filter = ["country", "roles__kind"]
    search_fields = ["name", "aliases", "party"]
    list_select_related = ["country"]
    inlines = [PersonRoleInline, AuthorizedLikenessInline]

    @admin.display(description="aliases")
    def alias_list(self, person: Person) -> str:
        return format_html_join(", ", "{}", ((alias,) for alias in person.aliases))


@admin.register(AuthorizedLikeness)
class AuthorizedLikenessAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "declared_by", "valid_from", "valid_to"]
    list_filter = ["kind", "person__country"]
    search_fields = ["person__name", "declared_by", "evidence_url"]
    list_select_related = ["person"]
