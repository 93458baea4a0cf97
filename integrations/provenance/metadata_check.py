"""The "metadata" check: IPTC DigitalSourceType in XMP, generator text chunks, EXIF Software, ID3 frames.

ID3 frames are matched by the same signatures as their image counterparts: TSSE/TENC like EXIF
Software (`exif_software`), a TXXX/COMM frame's description like a PNG text key (`png_text_key`)
and its text, under a "Software" or "Source" description only, like a PNG text value.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from triage.evidence.base import Check, CheckResult, MediaFile
from triage.evidence.models import GeneratorSignature

from .metadata_reader import read_metadata

# IPTC digital source types that declare generation or editing by AI / algorithms.
AI_SOURCE_TYPES = frozenset(
    {
        "trainedAlgorithmicMedia",
        "compositeWithTrainedAlgorithmicMedia",
        "algorithmicMedia",
        "compositeSynthetic",
    }
)
# ... and those that declare a capture of the real world.
CAPTURE_SOURCE_TYPES = frozenset({"digitalCapture", "computationalCapture", "negativeFilm", "positiveFilm"})
# Text chunk values are only searched under these keys: a caption that mentions a generator is not a marker.
VALUE_KEYS = ("Software", "Source")
ID3_SOFTWARE_FRAMES = ("TSSE", "TENC")
MAX_VALUE_SHOWN = 300


@dataclass(frozen=True)
class Signature:
    field: str
    pattern: str
    generator: str
    declares_ai: bool = True


def load_signatures() -> list[Signature]:

    return [
        Signature(s.field, s.pattern, s.generator, s.declares_ai)
        for s in GeneratorSignature.objects.filter(enabled=True)
    ]


def find_markers(meta, signatures: list[Signature]) -> list[dict]:
    """Match extracted metadata against the signature list; XMP source types are always markers."""
    markers: list[dict] = []
    for dst in meta.xmp_digital_source_types:
        markers.append(
            {
                "source": "xmp",
                "key": "Iptc4xmpExt:DigitalSourceType",
                "value": dst,
                "generator": ", ".join(meta.xmp_creator_tools) or None,
                "declares_ai": dst in AI_SOURCE_TYPES,
                "declares_capture": dst in CAPTURE_SOURCE_TYPES,
            }
        )
    lowered_keys = {key.lower(): key for key in meta.text_chunks}
    # TXXX/COMM frames by lowered description; a plain comment (no description) is a caption.
    id3_by_desc: dict[str, list[str]] = {}
    for key in meta.id3_frames:
        if key.startswith(("TXXX:", "COMM:")) and key[5:]:
            id3_by_desc.setdefault(key[5:].lower(), []).append(key)
    id3_value_keys = [k for desc in VALUE_KEYS for k in id3_by_desc.get(desc.lower(), [])]
    for sig in signatures:
        pattern = sig.pattern.lower()
        hits: list[tuple[str, str, str]] = []
        if sig.field == "png_text_key":
            if pattern in lowered_keys:
                key = lowered_keys[pattern]
                hits.append(("png_text", key, meta.text_chunks[key]))
            hits += [("id3", key, meta.id3_frames[key]) for key in id3_by_desc.get(pattern, [])]
        elif sig.field == "png_text_value":
            for key in VALUE_KEYS:
                value = meta.text_chunks.get(key)
                if value and pattern in value[:4096].lower():
                    hits.append(("png_text", key, value))
            for key in id3_value_keys:
                if pattern in meta.id3_frames[key][:4096].lower():
                    hits.append(("id3", key, meta.id3_frames[key]))
        elif sig.field == "exif_software":
            if meta.exif_software and pattern in meta.exif_software.lower():
                hits.append(("exif_software", "Software", meta.exif_software))
            for frame in ID3_SOFTWARE_FRAMES:
                value = meta.id3_frames.get(frame)
                if value and pattern in value[:4096].lower():
                    hits.append(("id3", frame, value))
        elif sig.field == "xmp_tool":
            hits += [("xmp", "xmp:CreatorTool", t) for t in meta.xmp_creator_tools if pattern in t.lower()]
        for source, key, value in hits:
            if any(m["source"] == source and m["key"] == key for m in markers):
                continue  # one marker per place, whichever signature matched it first
            markers.append(
                {
                    "source": source,
                    "key": key,
                    "value": value[:MAX_VALUE_SHOWN],
                    "generator": sig.generator,
                    "declares_ai": sig.declares_ai,
                    "declares_capture": False,
                }
            )
    return markers


class MetadataCheck(Check):
    kind = "metadata"
    version = "2"  # 2: reads ID3 frames in MP3

    def __init__(self, *, signatures: list[Signature] | None = None):
        self.signatures = signatures

    def _run(self, media: MediaFile) -> CheckResult:
        # In a child process under time and memory limits, as the C2PA parse (metadata_reader.py).
        meta = read_metadata(
            media.path, mime_type=media.mime_type, timeout=float(settings.METADATA_READ_TIMEOUT_SECONDS)
        )
        if meta.unparseable:
            return self.result("unparseable", markers=[], container=meta.container, errors=meta.errors)
        signatures = self.signatures if self.signatures is not None else load_signatures()
        markers = find_markers(meta, signatures)
        if any(m["declares_ai"] for m in markers):
            label = "ai_declared"
        elif any(m["declares_capture"] for m in markers):
            label = "capture_declared"
        elif markers:
            label = "markers"
        else:
            label = "none"
        return self.result(
            label,
            markers=markers,
            container=meta.container,
            text_chunk_keys=sorted(meta.text_chunks)[:50],
            exif_software=meta.exif_software,
            # What encoded an MP3 (e.g. "Lavf60.3.100", "LAME3.100"): shown even when it names no generator.
            id3_software={
                k: meta.id3_frames[k][:MAX_VALUE_SHOWN] for k in ID3_SOFTWARE_FRAMES if k in meta.id3_frames
            },
            id3_frame_keys=sorted(meta.id3_frames)[:50],
            errors=meta.errors,
        )
