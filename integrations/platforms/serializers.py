"""The webhook event body, validated field by field (the field names are the contract)."""

from __future__ import annotations

import unicodedata

from django.core.validators import RegexValidator, URLValidator
from rest_framework import serializers

from triage.models import MediaType, ReportReason, ReportSource

_http_url = URLValidator(schemes=["http", "https"])
_country = RegexValidator(r"^[A-Za-z]{2}\Z", "Use an ISO 3166-1 alpha-2 code such as SK.")
_language = RegexValidator(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z", "Use a BCP 47 tag such as sk or pt-BR.")
_BIGINT_MAX = 2**63 - 1
# A case is keyed by its countries, sorted and comma-joined into Case.audience_key (400
# characters): 133 distinct codes fit. More would be accepted here and then fail in the worker.
MAX_AUDIENCE_COUNTRIES = 133


def _no_control_characters(value: str) -> None:
    """Refuse control characters and line breaks: an event_id is echoed in a URL and in headers."""
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in value):
        raise serializers.ValidationError("Must not contain control characters or line breaks.")


class Text(serializers.CharField):
    """A CharField that refuses text PostgreSQL cannot store (NUL, lone surrogates)."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise serializers.ValidationError("Contains characters that are not valid Unicode.") from None
        return value


class MediaEntry(serializers.Serializer):
    url = Text(required=False, max_length=2000, validators=[_http_url])
    file = Text(required=False, max_length=100, help_text="the multipart part holding the file")
    media_type = serializers.ChoiceField(choices=MediaType.choices, required=False)

    def validate(self, attrs):
        if bool(attrs.get("url")) == bool(attrs.get("file")):
            raise serializers.ValidationError("Give either url or file (an inline multipart part).")
        if attrs.get("file") and attrs["file"] not in self.context.get("files", {}):
            raise serializers.ValidationError({"file": [f"No multipart part named {attrs['file']!r}."]})
        return attrs


class CreatorDisclosure(serializers.Serializer):
    ai_label = serializers.BooleanField(required=False, allow_null=True)
    text = Text(required=False, allow_blank=True, max_length=2000)
    language = Text(required=False, allow_blank=True, max_length=35, validators=[_language])
    # The creator (or platform) presents the content as satire or parody: a policy input.
    satire = serializers.BooleanField(required=False, allow_null=True)


class Author(serializers.Serializer):
    """Who uploaded the content (an extension): consent to a likeness is bound to its declaring accounts."""

    id = Text(required=False, allow_blank=True, max_length=200)
    handle = Text(required=False, allow_blank=True, max_length=200)


class Content(serializers.Serializer):
    id = Text(max_length=200)
    url = Text(required=False, allow_blank=True, max_length=2000, validators=[_http_url])
    posted_at = serializers.DateTimeField(required=False, allow_null=True)
    media = serializers.ListField(child=MediaEntry(), min_length=1, max_length=20)
    text = Text(required=False, allow_blank=True, max_length=50_000, trim_whitespace=False)
    language = Text(required=False, allow_blank=True, max_length=35, validators=[_language])
    subjects = serializers.ListField(child=Text(max_length=200), required=False, max_length=50)
    creator_disclosure = CreatorDisclosure(required=False, allow_null=True)
    author = Author(required=False, allow_null=True)


class Report(serializers.Serializer):
    source = serializers.ChoiceField(choices=ReportSource.choices)
    reason = serializers.ChoiceField(choices=ReportReason.choices)
    note = Text(required=False, allow_blank=True, max_length=5000)


class Audience(serializers.Serializer):
    countries = serializers.ListField(
        child=Text(max_length=2, validators=[_country]), required=False, max_length=250
    )
    regions = serializers.ListField(child=Text(max_length=100), required=False, max_length=100)

    def validate_countries(self, value: list[str]) -> list[str]:
        if len({code.upper() for code in value}) > MAX_AUDIENCE_COUNTRIES:
            raise serializers.ValidationError(
                f"At most {MAX_AUDIENCE_COUNTRIES} different countries; "
                "send regions, or no audience (the platform's default applies)."
            )
        return value


class Reach(serializers.Serializer):
    views = serializers.IntegerField(required=False, min_value=0, max_value=_BIGINT_MAX)
    shares = serializers.IntegerField(required=False, min_value=0, max_value=_BIGINT_MAX)
    window_minutes = serializers.IntegerField(required=False, min_value=1, max_value=2_147_483_647)


class Event(serializers.Serializer):
    """A platform event. Unknown fields are ignored, so platforms may send more than we read."""

    event_id = Text(max_length=200, validators=[_no_control_characters])
    content = Content()
    report = Report()
    audience = Audience(required=False)
    reach = Reach(required=False)
