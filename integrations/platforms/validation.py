"""A fast path for webhook bodies that are plainly valid; everything else goes to the serializer.

Building and running the DRF `Event` serializer costs about half a millisecond a request (it
deep-copies its field tree each time), more than the rest of the webhook's Python. Almost every
body a platform sends is well formed, so `event_validate_fast` checks the common, canonical shape
directly: strings without surrounding whitespace, ints as JSON numbers, booleans as true/false,
and the same validators the serializer uses (URLs, country codes, BCP 47 tags, dates). When it
accepts a body, it returns exactly what `Event(...).validated_data` would; when anything is
unusual (a missing field, padding the serializer would trim, "12" for a number, any error), it
returns None and the view runs the serializer, which stays the one source of the field-level
400 errors.

The fast path checks fields it knows. If the serializers change (a new field, another limit),
their shape no longer matches `SERIALIZER_SHAPE` and the fast path steps aside until it is taught
the change (tests/ingestion/test_fast_validation.py fails meanwhile, naming what to do).
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError

from triage.models import MediaType, ReportReason, ReportSource

from . import serializers as s

# sha256 of the serializers' repr (every field, its options and validators); see module docstring.
SERIALIZER_SHAPE = "bf6c62f62f0290648287416a12c5c52ca667d904ad382a299e4a9f9809f13dd7"

_MEDIA_TYPES = frozenset(MediaType.values)
_SOURCES = frozenset(ReportSource.values)
_REASONS = frozenset(ReportReason.values)
_INT32_MAX = 2_147_483_647


class _Unusual(Exception):
    """The body is not in the plain shape: let the serializer decide."""


def serializer_shape() -> str:
    """Return the fingerprint of the Event serializer tree (field names, options, validators)."""
    # DRF's repr lists every field with its arguments and strips object addresses.
    return hashlib.sha256(repr(s.Event()).encode()).hexdigest()


@functools.cache
def _shape_matches() -> bool:
    return serializer_shape() == SERIALIZER_SHAPE


def _text(value: Any, max_length: int, *, blank: bool = False, trim: bool = True) -> str:
    """Return a string the serializer's `Text` field would return unchanged, or raise _Unusual."""
    if type(value) is not str or len(value) > max_length or "\x00" in value:
        raise _Unusual
    if not value:
        if blank:
            return value
        raise _Unusual
    if trim and value.strip() != value:  # the serializer would trim (or find it blank)
        raise _Unusual
    if not value.isascii():
        try:
            value.encode("utf-8")  # lone surrogates cannot be stored
        except UnicodeEncodeError:
            raise _Unusual from None
    return value


def _validated(value: str, validator) -> str:
    try:
        validator(value)
    except DjangoValidationError:
        raise _Unusual from None
    return value


def _url(value: Any, *, blank: bool = False) -> str:
    value = _text(value, 2000, blank=blank)
    return _validated(value, s._http_url) if value else value


def _language(value: Any) -> str:
    value = _text(value, 35, blank=True)
    return _validated(value, s._language) if value else value


def _integer(value: Any, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:  # bool is not int here: JSON true is no number
        raise _Unusual
    return value


def _flag(value: Any) -> bool | None:
    if value is None or value is True or value is False:
        return value
    raise _Unusual


def _object(value: Any) -> dict:
    if type(value) is not dict:
        raise _Unusual
    return value


def _list(value: Any, *, min_length: int = 0, max_length: int) -> list:
    if type(value) is not list or not min_length <= len(value) <= max_length:
        raise _Unusual
    return value


def _media(entry: Any, files: dict) -> dict:
    entry = _object(entry)
    out: dict[str, Any] = {}
    if "url" in entry:
        out["url"] = _url(entry["url"])
    if "file" in entry:
        out["file"] = _text(entry["file"], 100)
        if out["file"] not in files:
            raise _Unusual
    if "media_type" in entry:
        if type(entry["media_type"]) is not str or entry["media_type"] not in _MEDIA_TYPES:
            raise _Unusual
        out["media_type"] = entry["media_type"]
    if ("url" in out) == ("file" in out):  # exactly one of them
        raise _Unusual
    return out


def _disclosure(value: Any) -> dict | None:
    if value is None:
        return None
    value = _object(value)
    out: dict[str, Any] = {}
    if "ai_label" in value:
        out["ai_label"] = _flag(value["ai_label"])
    if "text" in value:
        out["text"] = _text(value["text"], 2000, blank=True)
    if "language" in value:
        out["language"] = _language(value["language"])
    if "satire" in value:
        out["satire"] = _flag(value["satire"])
    return out


def _author(value: Any) -> dict | None:
    if value is None:
        return None
    value = _object(value)
    out: dict[str, Any] = {}
    for key in ("id", "handle"):
        if key in value:
            out[key] = _text(value[key], 200, blank=True)
    return out


def _posted_at(value: Any):
    if value is None:
        return None
    if type(value) is not str:
        raise _Unusual
    try:
        # The serializer's own field, so parsing and time zones are exactly the same.
        return s.Content._declared_fields["posted_at"].run_validation(value)
    except ValidationError:
        raise _Unusual from None


def _content(value: Any, files: dict) -> dict:
    value = _object(value)
    out: dict[str, Any] = {"id": _text(value.get("id"), 200)}
    if "url" in value:
        out["url"] = _url(value["url"], blank=True)
    if "posted_at" in value:
        out["posted_at"] = _posted_at(value["posted_at"])
    out["media"] = [_media(entry, files) for entry in _list(value.get("media"), min_length=1, max_length=20)]
    if "text" in value:
        out["text"] = _text(value["text"], 50_000, blank=True, trim=False)
    if "language" in value:
        out["language"] = _language(value["language"])
    if "subjects" in value:
        out["subjects"] = [_text(name, 200) for name in _list(value["subjects"], max_length=50)]
    if "creator_disclosure" in value:
        out["creator_disclosure"] = _disclosure(value["creator_disclosure"])
    if "author" in value:
        out["author"] = _author(value["author"])
    return out


def _report(value: Any) -> dict:
    value = _object(value)
    source, reason = value.get("source"), value.get("reason")
    if type(source) is not str or source not in _SOURCES or type(reason) is not str or reason not in _REASONS:
        raise _Unusual
    out: dict[str, Any] = {"source": source, "reason": reason}
    if "note" in value:
        out["note"] = _text(value["note"], 5000, blank=True)
    return out


def _audience(value: Any) -> dict:
    value = _object(value)
    out: dict[str, Any] = {}
    if "countries" in value:
        countries = _list(value["countries"], max_length=250)
        out["countries"] = [_validated(_text(code, 2), s._country) for code in countries]
        if len({code.upper() for code in out["countries"]}) > s.MAX_AUDIENCE_COUNTRIES:
            raise _Unusual
    if "regions" in value:
        out["regions"] = [_text(region, 100) for region in _list(value["regions"], max_length=100)]
    return out


def _event_id(value: Any) -> str:
    value = _text(value, 200)
    if not value.isprintable():  # control characters, line breaks (and a few more): the serializer decides
        raise _Unusual
    return value


def _reach(value: Any) -> dict:
    value = _object(value)
    out: dict[str, Any] = {}
    for name, low, high in (("views", 0, s._BIGINT_MAX), ("shares", 0, s._BIGINT_MAX)):
        if name in value:
            out[name] = _integer(value[name], low, high)
    if "window_minutes" in value:
        out["window_minutes"] = _integer(value["window_minutes"], 1, _INT32_MAX)
    return out


def event_validate_fast(data: dict, *, files: dict) -> dict | None:
    """Return the validated event if the body is plainly valid, else None (use the serializer)."""
    if not _shape_matches():
        return None
    try:
        out: dict[str, Any] = {
            "event_id": _event_id(data.get("event_id")),
            "content": _content(data.get("content"), files),
            "report": _report(data.get("report")),
        }
        if "audience" in data:
            out["audience"] = _audience(data["audience"])
        if "reach" in data:
            out["reach"] = _reach(data["reach"])
    except _Unusual:
        return None
    return out
