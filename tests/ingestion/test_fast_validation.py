"""The webhook's fast validation path agrees with the Event serializer on every body it accepts.

It either returns exactly the serializer's validated data or steps aside (None); it never
accepts a body the serializer refuses. Checked on real-shaped events and on every field of the
sample event replaced by odd values, one at a time.
"""

import copy
import json
from pathlib import Path

import pytest

from integrations.platforms.serializers import Event
from integrations.platforms.validation import SERIALIZER_SHAPE, event_validate_fast, serializer_shape
from tests.ingestion.helpers import sample_event

FIXTURES = Path(__file__).parent / "fixtures"

ODD_VALUES = [
    None, "", " ", " padded ", "x" * 201, "x" * 2001, 0, -1, 12.0, True, False, "12", [], {}, ["SK"],
    "SK", "sk", "s", "not a url", "ftp://cdn.example/a.mp3", "https://cdn.example/a.mp3", "audio",
    "nonsense", "2026-11-27T08:00:00+02:00", "2026-11-27", "27/11/2026", "nul\x00", "lone \ud800",
    "Michal Šimečka", 2**63, 2**31, "pt-BR", "user_report", "synthetic_media",
]  # fmt: skip


def _serializer_result(data: dict, files: dict) -> dict | None:
    serializer = Event(data=data, context={"files": files})
    return serializer.validated_data if serializer.is_valid() else None


def _paths(value, prefix=()):
    """Every (path) to a dict key or list item in the event, leaves and containers alike."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index)
            yield from _paths(item, (*prefix, index))


def _variants(event: dict):
    """The event with one field replaced by each odd value, or removed."""
    for path in _paths(event):
        for replacement in [*ODD_VALUES, "<removed>"]:
            variant = copy.deepcopy(event)
            parent = variant
            for step in path[:-1]:
                parent = parent[step]
            if replacement == "<removed>":
                del parent[path[-1]]
            else:
                parent[path[-1]] = replacement
            yield path, replacement, variant


def _full_event() -> dict:
    event = sample_event("evt-1")
    event["content"]["media"].append({"file": "clip", "media_type": "video"})
    event["content"]["creator_disclosure"]["satire"] = True
    event["content"]["author"] = {"id": "7001", "handle": "@pti-official"}
    event["audience"]["regions"] = ["Bratislava"]
    return event


def test_the_fast_path_knows_the_current_serializers():
    assert serializer_shape() == SERIALIZER_SHAPE, (
        "the Event serializer changed: teach integrations/platforms/validation.py the change "
        f"(or make it step aside for the new field), then set SERIALIZER_SHAPE = {serializer_shape()!r}"
    )


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.json")))
def test_real_shaped_events_take_the_fast_path_with_the_serializers_result(name):
    data = json.loads((FIXTURES / name).read_bytes())
    expected = _serializer_result(data, {})
    assert expected is not None
    assert event_validate_fast(data, files={}) == expected


def test_the_full_sample_event_takes_the_fast_path_with_the_serializers_result():
    event, files = _full_event(), {"clip": object()}
    fast = event_validate_fast(event, files=files)
    assert fast is not None
    assert fast == _serializer_result(event, files)
    assert fast["content"]["posted_at"].isoformat() == "2026-11-27T08:00:00+00:00"


def test_any_single_odd_field_is_either_handled_identically_or_left_to_the_serializer():
    files = {"clip": object()}
    accepted_fast = 0
    for path, replacement, variant in _variants(_full_event()):
        fast = event_validate_fast(variant, files=files)
        if fast is None:
            continue
        accepted_fast += 1
        assert fast == _serializer_result(variant, files), (path, replacement)
    assert accepted_fast > 50  # the fast path does take the plainly valid variants


def test_a_multipart_file_that_was_not_sent_is_left_to_the_serializer():
    event = _full_event()
    assert event_validate_fast(event, files={}) is None
    assert _serializer_result(event, {}) is None
