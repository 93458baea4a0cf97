"""Query-parameter filters for the case list; bad values are 400s with the parameter named."""

from datetime import UTC

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django_filters.fields import IsoDateTimeField

from triage.decisions.models import CasePhase
from triage.evidence.models import VerdictLabel
from triage.models import Case, CaseStatus

from .selectors import case_audience_q


class InstantField(IsoDateTimeField):
    """An ISO 8601 instant that must exist in UTC (0001-01-01T00:00+01:00 does not)."""

    def to_python(self, value):
        instant = super().to_python(value)
        if instant is not None:
            try:
                instant.astimezone(UTC)
            except OverflowError:
                raise forms.ValidationError("This instant is out of range.") from None
        return instant


class InstantFilter(django_filters.IsoDateTimeFilter):
    field_class = InstantField


LIVE_STATUSES = [(value, label) for value, label in CaseStatus.choices if value != CaseStatus.MERGED]


class CaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=LIVE_STATUSES)
    phase = django_filters.ChoiceFilter(
        choices=CasePhase.choices, method="filter_phase", help_text="phase of the current decision"
    )
    country = django_filters.CharFilter(
        method="filter_country",
        validators=[RegexValidator(r"^[A-Za-z]{2}$", "Give an ISO 3166-1 alpha-2 code, e.g. SK.")],
        help_text="a country in the case's audience",
    )
    created_since = InstantFilter(
        field_name="created_at", lookup_expr="gte", help_text="ISO 8601, e.g. 2026-11-01T00:00:00Z"
    )
    verdict = django_filters.ChoiceFilter(
        choices=VerdictLabel.choices,
        method="filter_verdict",
        help_text="verdict label of the current decision",
    )

    class Meta:
        model = Case
        fields = ["status", "phase", "country", "created_since", "verdict"]

    def filter_phase(self, queryset, name, value):
        return queryset.filter(decisions__is_current=True, decisions__phase=value)

    def filter_country(self, queryset, name, value):
        return queryset.filter(case_audience_q(value))

    def filter_verdict(self, queryset, name, value):
        return queryset.filter(decisions__is_current=True, decisions__verdict__label=value)
