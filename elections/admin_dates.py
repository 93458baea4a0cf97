"""The Elections admin action that confirms an expected date, or moves it, through dates.py."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

from .dates import election_date_confirm
from .validation import parse_day


class ConfirmDateForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2, "cols": 70}),
        help_text="Who fixed the date and how you know (kept in the audit log).",
    )
    source_url = forms.URLField(required=False, assume_scheme="https", label="Announcement URL")
    voting_days = forms.CharField(
        required=False,
        label="New voting days",
        help_text="Only to move one election: the announced days, e.g. 2027-04-18; 2027-04-19. "
        "Leave empty to confirm the date as it is.",
    )

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = count

    def clean_voting_days(self) -> list[str]:
        text = self.cleaned_data["voting_days"].strip()
        if not text:
            return []
        if self.count != 1:
            raise ValidationError("Select exactly one election to move its date.")
        try:
            return [parse_day(part).isoformat() for part in text.replace(",", ";").split(";") if part.strip()]
        except ValueError as exc:
            raise ValidationError(f"Enter ISO dates separated by semicolons ({exc}).") from None


@admin.action(description="Confirm or move the date of the selected elections", permissions=["change"])
def confirm_election_date_action(modeladmin, request, queryset):
    form = ConfirmDateForm(request.POST if "apply" in request.POST else None, count=queryset.count())
    if "apply" in request.POST and form.is_valid():
        for election in queryset:
            try:
                result = election_date_confirm(
                    election=election,
                    reason=form.cleaned_data["reason"],
                    voting_days=form.cleaned_data["voting_days"] or None,
                    source_url=form.cleaned_data["source_url"],
                    user=request.user,
                )
            except ValidationError as exc:
                details = "; ".join(" ".join(msgs) for msgs in exc.message_dict.values())
                modeladmin.message_user(request, f"{election.name}: {details}", messages.ERROR)
                continue
            verb = (
                "moved to " + ", ".join(result.election.voting_days) + " and confirmed"
                if result.moved
                else "confirmed"
            )
            modeladmin.message_user(request, f"{election.name}: {verb}.", messages.SUCCESS)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Confirm or move election dates",
        "elections": queryset,
        "form": form,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action": "confirm_election_date_action",
    }
    return TemplateResponse(request, "admin/elections/confirm_election_date.html", context)
