"""Forms of the dashboard: queue filters, the moderator's own decision, banking media."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from elections.models import Country
from triage.decisions.labels.kinds import LabelKind
from triage.decisions.models import CasePhase
from triage.evidence.banks.models import FingerprintBank
from triage.evidence.models import VerdictLabel
from triage.models import CaseStatus, MediaType, ReportReason

from .selectors import QUEUES, QueueFilters


def _blank(label: str, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


class QueueFilterForm(forms.Form):
    queue = forms.ChoiceField(choices=list(QUEUES.items()), required=False)
    phase = forms.ChoiceField(
        choices=_blank("Any phase", [*CasePhase.choices, ("undecided", "No decision yet")]), required=False
    )
    country = forms.CharField(max_length=2, required=False)
    status = forms.ChoiceField(choices=_blank("Any status", CaseStatus.choices), required=False)
    verdict = forms.ChoiceField(choices=_blank("Any verdict", VerdictLabel.choices), required=False)
    media_type = forms.ChoiceField(choices=_blank("Any media", MediaType.choices), required=False)
    q = forms.CharField(max_length=200, required=False, strip=True)

    def clean_country(self) -> str:
        code = (self.cleaned_data.get("country") or "").strip().upper()
        if code and not (len(code) == 2 and code.isalpha()):
            raise forms.ValidationError("Use a two-letter country code, e.g. SK.")
        return code

    def filters(self) -> QueueFilters:
        """Return the valid filters (an invalid field is ignored, its error shown next to it)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return QueueFilters(
            queue=data.get("queue") or "unresolved",
            phase=data.get("phase") or "",
            country=data.get("country") or "",
            status=data.get("status") or "",
            verdict=data.get("verdict") or "",
            media_type=data.get("media_type") or "",
            q=data.get("q") or "",
        )

    @staticmethod
    def country_choices() -> list[tuple[str, str]]:
        return list(Country.objects.order_by("code").values_list("code", "name"))


ESCALATION_REASONS = [
    (ReportReason.VOTER_SUPPRESSION, "Voter suppression"),
    (ReportReason.IMPERSONATION, "Impersonation of a candidate or official"),
    (ReportReason.ELECTION_MISINFORMATION, "Election misinformation"),
    ("legal", "Legal question"),
    ("other", "Other (say why in the note)"),
]


class ModeratorDecisionForm(forms.Form):
    """A moderator's own decision, turned into the platform-facing action list."""

    label_kind = forms.ChoiceField(choices=_blank("No label", LabelKind.choices), required=False)
    removal_hold = forms.BooleanField(required=False, label="Removal hold")
    hold_minutes = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=60 * 24 * 14,
        label="Review deadline (minutes from now)",
        help_text="In a silence window, minutes, not days.",
    )
    reduce_distribution = forms.BooleanField(required=False, label="Reduce distribution")
    escalate = forms.BooleanField(required=False, label="Escalate to lead")
    escalate_reason = forms.ChoiceField(choices=_blank("Reason…", ESCALATION_REASONS), required=False)
    no_action = forms.BooleanField(required=False, label="No action")
    verdict_override = forms.ChoiceField(
        choices=_blank("Keep the verdict", VerdictLabel.choices), required=False, label="Verdict"
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    share_note = forms.BooleanField(required=False, label="Share this note with platforms and partners")
    language = forms.RegexField(
        regex=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z",
        required=False,
        max_length=35,
        label="Label language (override)",
        error_messages={"invalid": "Use a language tag such as sk or pt-BR."},
    )

    @classmethod
    def initial_from(cls, decision) -> dict:
        """Start the form from the current decision's actions (a moderator changes what is there)."""
        if decision is None:
            return {}
        initial: dict = {}
        for action in decision.actions:
            kind = action.get("type")
            if kind == "label":
                initial["label_kind"] = action.get("kind", "")
            elif kind == "removal_hold":
                initial["removal_hold"] = True
                if decision.review_deadline:
                    left = (decision.review_deadline - timezone.now()).total_seconds() // 60
                    initial["hold_minutes"] = max(1, int(left)) if left > 0 else 60
            elif kind == "reduce_distribution":
                initial["reduce_distribution"] = True
            elif kind == "escalate":
                initial["escalate"] = True
                initial["escalate_reason"] = action.get("reason", "")
            elif kind == "no_action":
                initial["no_action"] = True
        if decision.verdict and decision.decided_by == "moderator":
            initial["verdict_override"] = ""
        return initial

    def clean(self):
        data = super().clean()
        chosen = [
            bool(data.get("label_kind")),
            data.get("removal_hold"),
            data.get("reduce_distribution"),
            data.get("escalate"),
        ]
        if data.get("no_action") and any(chosen):
            self.add_error("no_action", "No action cannot be combined with other actions.")
        elif not data.get("no_action") and not any(chosen):
            raise forms.ValidationError("Choose at least one action, or No action.")
        if data.get("removal_hold") and not data.get("hold_minutes"):
            self.add_error("hold_minutes", "A removal hold needs a review deadline.")
        if data.get("escalate") and not data.get("escalate_reason"):
            self.add_error("escalate_reason", "Say why the case goes to a lead.")
        if data.get("escalate_reason") == "other" and data.get("escalate") and not data.get("note"):
            self.add_error("note", "Explain the escalation in the note.")
        return data

    def actions(self) -> list[dict]:
        """Return the action list in the policy's rule shapes (the service renders label texts)."""
        data = self.cleaned_data
        if data.get("no_action"):
            return [{"type": "no_action"}]
        actions: list[dict] = []
        if data.get("removal_hold"):
            actions.append({"type": "removal_hold", "review_deadline_minutes": data["hold_minutes"]})
        if data.get("reduce_distribution"):
            actions.append({"type": "reduce_distribution"})
        if data.get("label_kind"):
            actions.append({"type": "label", "kind": data["label_kind"]})
        if data.get("escalate"):
            actions.append({"type": "escalate", "reason": data["escalate_reason"]})
        return actions


class ConfirmForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    share_note = forms.BooleanField(required=False, label="Share this note with platforms and partners")


class ExtendDeadlineForm(forms.Form):
    """A lead moves a review deadline, and says why."""

    minutes = forms.IntegerField(min_value=1, max_value=60 * 24 * 14, label="New deadline (minutes from now)")
    reason = forms.CharField(max_length=500, label="Reason")


REMOVAL_GROUNDS = [("terms_of_service", "Terms of service"), ("law", "The law of a country")]


class OutcomeForm(forms.Form):
    """A final human outcome: remove (on a ground), restore (keep or drop the label), label only."""

    outcome = forms.ChoiceField(
        choices=[("remove", "Remove"), ("restore", "Restore"), ("label_only", "Label only")],
        widget=forms.RadioSelect,
    )
    ground = forms.ChoiceField(choices=_blank("Ground…", REMOVAL_GROUNDS), required=False)
    country = forms.CharField(max_length=2, required=False, label="Country (for the law)")
    legal_reference = forms.CharField(max_length=500, required=False, label="Provision")
    keep_label = forms.BooleanField(required=False, initial=True, label="Keep the label")
    label_kind = forms.ChoiceField(choices=_blank("Label…", LabelKind.choices), required=False)
    language = forms.CharField(max_length=35, required=False, label="Label language (override)")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    share_note = forms.BooleanField(required=False, label="Share this note with platforms and partners")

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome == "remove":
            if not data.get("ground"):
                self.add_error("ground", "Say on what ground the content is removed.")
            elif data["ground"] == "law":
                code = (data.get("country") or "").strip().upper()
                if not (len(code) == 2 and code.isalpha()):
                    self.add_error("country", "Name the country whose law applies (two letters, e.g. SK).")
                data["country"] = code
        if outcome == "label_only" and not data.get("label_kind"):
            self.add_error("label_kind", "Choose the label.")
        return data


class BankForm(forms.Form):
    media_item = forms.IntegerField(widget=forms.HiddenInput)
    bank = forms.ModelChoiceField(queryset=FingerprintBank.objects.filter(enabled=True), empty_label="Bank…")
    note = forms.CharField(required=False, max_length=500)


class AppealDecisionForm(forms.Form):
    """A second moderator's answer to an appeal."""

    outcome = forms.ChoiceField(
        choices=[
            ("upheld", "Uphold: the decision stands"),
            ("reversed", "Reverse: restore the content, no label"),
            ("modified", "Modify: a label only"),
        ],
        widget=forms.RadioSelect,
    )
    label_kind = forms.ChoiceField(choices=_blank("Label…", LabelKind.choices), required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "modified" and not data.get("label_kind"):
            self.add_error("label_kind", "Choose the label the content keeps.")
        return data
