"""Bank writes and matching: the contract other apps use.

`bank_match_file` and `bank_match_media_item` return `BankMatch` records. The unit of `distance`
depends on the media type:

- image: PDQ Hamming distance in bits (0-256) to the nearest of the banked image's hashes (the image
  and two centre crops); a match is <= the bank's image_max_distance.
- video: mean PDQ Hamming distance in bits of the query keyframes that matched; `score` is the share
  (0-1) of the shorter video's keyframes that matched, which must reach video_min_frame_fraction.
- audio (also a video's soundtrack, with extra "via": "soundtrack"): 1 - aligned share, where the
  aligned share is the number of landmark hashes agreeing on one time offset (`score`) over the
  landmarks of the shorter recording; a match needs `score` >= the bank's audio_min_hashes.
  `offset_seconds` says where the banked recording starts inside the query (negative: the query
  starts that far into the banked recording, e.g. a trimmed copy).
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction

from triage.models import MediaItem

from . import image_verify
from .fingerprints import UnparseableMediaError, image_candidates, sniff_media_type
from .fingerprints import audio as audio_fp
from .fingerprints import image as image_fp
from .fingerprints import video as video_fp
from .models import EVIDENCE_PURPOSES, BankedItem, BankPurpose, FingerprintBank
from .selectors import (
    EVIDENCE_SCOPE,
    REFERENCE_SCOPE,
    MediaIndex,
    banked_item_find,
    file_sha256,
    media_indexes,
)

__all__ = [
    "BankMatch",
    "BankPurposeConflictError",
    "MediaFingerprint",
    "UnparseableMediaError",
    "bank_add_file",
    "bank_add_fingerprint",
    "bank_add_media_item",
    "bank_get_or_create",
    "bank_match_file",
    "bank_match_fingerprint",
    "bank_match_media_item",
    "media_fingerprint",
]


class BankPurposeConflictError(ValueError):
    """A bank of that name exists with another purpose."""


@dataclass(frozen=True)
class BankMatch:
    """One banked item that a file matches."""

    bank: str
    purpose: str
    distance: float | int
    item: dict[str, str]  # {"sha256", "original_name"} of the banked media
    media_type: str
    score: float | int | None = None
    banked_item_id: int | None = None
    media_item_id: int | None = None
    offset_seconds: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """Return the shape bank_match --json and inspect_media print."""
        out: dict[str, Any] = {
            "bank": self.bank,
            "purpose": self.purpose,
            "distance": self.distance,
            "item": {"sha256": self.item["sha256"], "original_name": self.item["original_name"]},
            "media_type": self.media_type,
            "score": self.score,
            "banked_item_id": self.banked_item_id,
            "media_item_id": self.media_item_id,
        }
        if self.offset_seconds is not None:
            out["offset_seconds"] = self.offset_seconds
        out.update(self.extra)
        return out


@transaction.atomic
def bank_get_or_create(*, name: str, purpose: str | None = None) -> FingerprintBank:
    """Return the bank called name, creating it with purpose if missing.

    Raise BankPurposeConflictError if it exists with another purpose, ValueError if it must be
    created and no valid purpose is given.
    """
    bank = FingerprintBank.objects.filter(name=name).first()
    if bank is not None:
        if purpose and bank.purpose != purpose:
            raise BankPurposeConflictError(
                f"bank {name!r} exists with purpose {bank.purpose!r}, not {purpose!r}"
            )
        return bank
    if purpose not in BankPurpose.values:
        raise ValueError(f"bank {name!r} does not exist; give a purpose ({', '.join(BankPurpose.values)})")
    bank = FingerprintBank(name=name, purpose=purpose)
    try:
        bank.full_clean()
    except ValidationError as exc:
        fields = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
        raise ValueError(f"invalid bank: {fields}") from exc
    bank.save()
    return bank


# One branch per media type rather than a registry of fingerprinters: the media types are the closed
# set triage.MediaType defines, and each needs its own index kind and match rule below, so a new
# type is never "one package plus one line". A second algorithm for a type would earn a registry.
def _fingerprint(path: Path, media_type: str) -> tuple[bytes, float | None, dict[str, Any]]:
    if media_type == "image":
        img = image_fp.load_image(path)
        hashes, quality = image_fp.bank_hashes(img)
        return (
            b"".join(hashes),
            None,
            {
                "pdq_quality": quality,
                "crop_variants": list(image_fp.BANK_CROP_FRACTIONS),
                "side_crops": [list(c) for c in image_fp.BANK_SIDE_CROPS],
                # Edge bands (hashes from BANK_BANDS_FROM on, indexed apart): their depth, and the
                # keypoints carry the frame a band hit's crop check needs.
                "edge_band_depth": image_candidates.EDGE_BAND_DEPTH,
                # Not metadata: popped by bank_add_file into BankedItem.local_features.
                "_local_features": image_fp.bank_keypoints(img),
            },
        )
    if media_type == "video":
        hashes, duration = video_fp.video_keyframe_hashes(path)
        return video_fp.pack(hashes), duration, {"keyframes": len(hashes)}
    if media_type == "audio":
        peaks = audio_fp.audio_peaks(path)
        marks = audio_fp.landmarks(peaks)
        if marks.size == 0:
            raise UnparseableMediaError("unparseable: no audible content to fingerprint")
        metadata: dict[str, Any] = {"landmarks": int(marks.size)}
        if peaks.truncated:
            metadata["truncated"] = [peaks.truncated]
        return marks.tobytes(), peaks.duration_seconds, metadata
    raise ValueError(f"unknown media type {media_type!r}")


def bank_add_file(
    *,
    bank: FingerprintBank | str,
    path: Path,
    original_name: str | None = None,
    notes: str = "",
    added_by=None,
    media_item: MediaItem | None = None,
    media_type: str | None = None,
) -> BankedItem:
    """Fingerprint a file and bank it; return the existing item if these bytes are banked already.

    Raise UnparseableMediaError for files that are not media we can fingerprint.
    """
    if isinstance(bank, str):
        bank = FingerprintBank.objects.get(name=bank)
    path = Path(path)
    sha256 = file_sha256(path)
    existing = banked_item_find(bank=bank, sha256=sha256)
    if existing is not None:
        return existing
    media_type = media_type or sniff_media_type(path)
    # Decoding is slow: do it before the transaction, which then only writes.
    blob, duration, metadata = _fingerprint(path, media_type)
    features = metadata.pop("_local_features", b"")
    return _banked_item_create(
        bank=bank,
        sha256=sha256,
        media_type=media_type,
        original_name=original_name if original_name is not None else path.name,
        fingerprint=blob,
        duration_seconds=duration,
        metadata=metadata,
        notes=notes,
        added_by=added_by,
        media_item=media_item,
        local_features=features,
    )


@transaction.atomic
def _banked_item_create(*, bank: FingerprintBank, sha256: str, **fields: Any) -> BankedItem:
    item, _ = BankedItem.objects.get_or_create(bank=bank, sha256=sha256, defaults=fields)
    return item


def bank_add_media_item(
    *, bank: FingerprintBank | str, media_item_id: int, notes: str = "", added_by=None
) -> BankedItem:
    """Bank a stored MediaItem (what a moderator does from a case)."""
    media = MediaItem.objects.get(pk=media_item_id)
    with _local_copy(media) as path:
        return bank_add_file(
            bank=bank,
            path=path,
            original_name=media.original_name,
            notes=notes,
            added_by=added_by,
            media_item=media,
            media_type=media.media_type,
        )


@dataclass(frozen=True)
class MediaFingerprint:
    """A file's fingerprints from one decode: what matching needs and what banking stores."""

    media_type: str
    query: Any  # image: one PDQ hash; video: keyframe hashes; audio: spectral peaks
    soundtrack: audio_fp.Peaks | None  # a video's audio track, matched against audio banks
    blob: bytes  # what a BankedItem stores (see _fingerprint)
    duration_seconds: float | None
    metadata: dict[str, Any]


def media_fingerprint(*, path: Path, media_type: str | None = None) -> MediaFingerprint:
    """Fingerprint a file once for both matching and banking (clustering does both).

    Raise UnparseableMediaError for files that cannot be decoded.
    """
    path = Path(path)
    media_type = media_type or sniff_media_type(path)
    soundtrack = None
    if media_type == "image":
        hashes, quality = image_fp.image_bank_hashes(path)
        query: Any = hashes[0]
        blob, duration = b"".join(hashes), None
        metadata: dict[str, Any] = {
            "pdq_quality": quality,
            "crop_variants": list(image_fp.BANK_CROP_FRACTIONS),
        }
    elif media_type == "video":
        query, duration = video_fp.video_keyframe_hashes(path)
        blob, metadata = video_fp.pack(query), {"keyframes": len(query)}
        soundtrack = _soundtrack_peaks(path)
    elif media_type == "audio":
        query = audio_fp.audio_peaks(path)
        marks = audio_fp.landmarks(query)
        if marks.size == 0:
            raise UnparseableMediaError("unparseable: no audible content to fingerprint")
        blob, duration = marks.tobytes(), query.duration_seconds
        metadata = {"landmarks": int(marks.size)}
    else:
        raise ValueError(f"unknown media type {media_type!r}")
    truncated = _truncation_notes(query, soundtrack)
    if truncated:
        metadata["truncated"] = truncated
    return MediaFingerprint(media_type, query, soundtrack, blob, duration, metadata)


def bank_add_fingerprint(
    *,
    bank: FingerprintBank,
    sha256: str,
    fingerprint: MediaFingerprint,
    original_name: str = "",
    media_item: MediaItem | None = None,
) -> BankedItem:
    """Bank fingerprints already computed; return the existing item if these bytes are banked."""
    return _banked_item_create(
        bank=bank,
        sha256=sha256,
        media_type=fingerprint.media_type,
        original_name=original_name,
        fingerprint=fingerprint.blob,
        duration_seconds=fingerprint.duration_seconds,
        metadata=fingerprint.metadata,
        media_item=media_item,
    )


def bank_match_file(
    *,
    path: Path,
    media_type: str | None = None,
    purposes: Iterable[str] | None = None,
    notes: list[str] | None = None,
) -> list[BankMatch]:
    """Return the matches of a file against every enabled bank, closest first.

    media_type is "image", "video" or "audio"; None sniffs it. purposes limits the banks searched;
    None means the evidence banks (synthetic, debunked, authentic), never the reference bank of
    media seen, which only clustering searches. Raise UnparseableMediaError for files that cannot
    be decoded. notes, when given, receives what was left out of the fingerprint (the tail of a
    recording longer than MAX_AUDIO_SECONDS).
    """
    path = Path(path)
    media_type = media_type or sniff_media_type(path)
    # Fingerprint before looking at banks, so a hostile file is reported even with no bank yet.
    soundtrack = None
    if media_type == "image":
        # The whole image, the photo found inside a screenshot or above a caption, and their mirrors.
        query: Any = image_fp.image_query(path)
    elif media_type == "video":
        # Keyframes only: a query needs no dense sampling, banked videos have it (see video.py).
        query = video_fp.video_keyframe_hashes(path, keyframes_only=True)[0]
        soundtrack = _soundtrack_peaks(path)
    elif media_type == "audio":
        query = audio_fp.audio_peaks(path)
    else:
        raise ValueError(f"unknown media type {media_type!r}")
    if notes is not None:
        notes += _truncation_notes(query, soundtrack)
    return _match_query(media_type, query, soundtrack, purposes)


def _truncation_notes(query: Any, soundtrack: audio_fp.Peaks | None) -> list[str]:
    notes = [query.truncated] if isinstance(query, audio_fp.Peaks) and query.truncated else []
    if soundtrack is not None and soundtrack.truncated:
        notes.append(f"soundtrack: {soundtrack.truncated}")
    return notes


def bank_match_fingerprint(
    *, fingerprint: MediaFingerprint, purposes: Iterable[str] | None = None
) -> list[BankMatch]:
    """Return the matches of fingerprints already computed (see bank_match_file for purposes)."""
    return _match_query(fingerprint.media_type, fingerprint.query, fingerprint.soundtrack, purposes)


def _match_query(
    media_type: str, query: Any, soundtrack: audio_fp.Peaks | None, purposes: Iterable[str] | None
) -> list[BankMatch]:
    wanted = EVIDENCE_PURPOSES if purposes is None else frozenset(purposes)
    banks = {b.pk: b for b in FingerprintBank.objects.filter(enabled=True, purpose__in=wanted)}
    if not banks:
        return []
    matcher = {"image": _match_image, "video": _match_video, "audio": _match_audio}[media_type]
    scopes = sorted(
        {REFERENCE_SCOPE if b.purpose == BankPurpose.REFERENCE else EVIDENCE_SCOPE for b in banks.values()}
    )
    matches: list[BankMatch] = []
    for scope in scopes:
        for index in media_indexes(media_type, scope):
            matches += matcher(query, banks, index)
        if media_type == "video" and soundtrack is not None:
            # A banked fake voice re-uploaded as a video (a still image and the recording) is still a match.
            for index in media_indexes("audio", scope):
                matches += _match_audio(soundtrack, banks, index, via="soundtrack")
    # Matches of the file's own kind first: distances of different kinds are in different units.
    return sorted(matches, key=lambda m: (m.media_type != media_type, m.distance, m.bank, m.item["sha256"]))


def _soundtrack_peaks(path: Path) -> audio_fp.Peaks | None:
    """Return the peaks of a video's audio track, or None if it has none that decodes."""
    try:
        peaks = audio_fp.audio_peaks(path)
    except UnparseableMediaError:
        return None
    return peaks if peaks.times.size else None


def bank_match_media_item(*, media_item_id: int) -> list[BankMatch]:
    """Return the bank matches of a stored MediaItem."""
    media = MediaItem.objects.get(pk=media_item_id)
    with _local_copy(media) as path:
        return bank_match_file(path=path, media_type=media.media_type)


class _local_copy:  # noqa: N801 - used as a context manager like a function
    """Give a filesystem path for a MediaItem's file, copying it out of remote storage if needed."""

    def __init__(self, media: MediaItem) -> None:
        self.media = media
        self.tmp: tempfile._TemporaryFileWrapper | None = None

    def __enter__(self) -> Path:
        try:
            return Path(self.media.file.path)
        except NotImplementedError:  # remote storage (S3) has no local path
            self.tmp = tempfile.NamedTemporaryFile(suffix=Path(self.media.file.name).suffix)  # noqa: SIM115
            with self.media.file.open("rb") as src:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    self.tmp.write(chunk)
            self.tmp.flush()
            return Path(self.tmp.name)

    def __exit__(self, *exc: object) -> None:
        if self.tmp is not None:
            self.tmp.close()


def _match(bank: FingerprintBank, item_id: int, meta, media_type: str, distance, **extra) -> BankMatch:
    return BankMatch(
        bank=bank.name,
        purpose=bank.purpose,
        distance=distance,
        item={"sha256": meta.sha256, "original_name": meta.original_name},
        media_type=media_type,
        banked_item_id=item_id,
        media_item_id=meta.media_item_id,
        **extra,
    )


def _match_image(
    query: bytes | image_fp.ImageQuery, banks: dict[int, FingerprintBank], index: MediaIndex
) -> list[BankMatch]:
    """Match the plain hash as PDQ always did; other candidates only with local-feature proof.

    A bare digest (clustering's reference bank) is matched plainly. An ImageQuery's plain hash within
    the bank's threshold is a match as before; any other candidate (a region, a mirror) or a distance
    in the loose band (up to image_verify.IMAGE_VERIFY_FACTOR times the threshold) is a match only if
    the banked image's stored keypoints agree with the query's on one geometry (local_features.verify).
    """
    if isinstance(query, bytes):
        return image_verify.plain_matches(query, banks, index, _match)
    return image_verify.candidate_matches(query, banks, index, _match)


def _match_video(
    hashes: list[bytes], banks: dict[int, FingerprintBank], index: MediaIndex
) -> list[BankMatch]:
    radius = max(b.video_max_distance for b in banks.values())
    query = np.frombuffer(b"".join(hashes), np.uint8).reshape(-1, 32)
    # Per banked video: the closest distance of each query keyframe that has a twin in it.
    best: dict[int, dict[int, int]] = {}
    for qi, (owners, distances) in enumerate(index.hashes.search(query, radius)):
        for owner, distance in zip(owners.tolist(), distances.tolist(), strict=True):
            per = best.setdefault(owner, {})
            per[qi] = min(per.get(qi, 256), distance)
    out = []
    for owner, per_frame in best.items():
        meta = index.items[owner]
        bank = banks.get(meta.bank_id)
        if bank is None:
            continue
        close = [d for d in per_frame.values() if d <= bank.video_max_distance]
        fraction = len(close) / min(len(hashes), meta.size)
        if close and fraction >= bank.video_min_frame_fraction:
            distance = round(float(np.mean(close)), 2)
            out.append(_match(bank, owner, meta, "video", distance, score=round(min(fraction, 1.0), 3)))
    return out


def _match_audio(
    peaks: audio_fp.Peaks, banks: dict[int, FingerprintBank], index: MediaIndex, via: str = ""
) -> list[BankMatch]:
    min_aligned = min(b.audio_min_hashes for b in banks.values())
    query_size = max(1, audio_fp.landmarks(peaks).size)
    out = []
    for hit in index.audio.search(peaks, min_aligned):
        pk = index.audio_pks[hit.owner]
        meta = index.items[pk]
        bank = banks.get(meta.bank_id)
        if bank is None or hit.aligned < bank.audio_min_hashes:
            continue
        share = min(1.0, hit.aligned / min(query_size, meta.size))
        out.append(
            _match(
                bank,
                pk,
                meta,
                "audio",
                round(1.0 - share, 4),
                score=hit.aligned,
                offset_seconds=round(-hit.offset_frames * audio_fp.FRAME_SECONDS, 2),
                extra={
                    "speed": round(1.0 / hit.speed[1], 3),
                    **_pitch(hit.speed),
                    **({"via": via} if via else {}),
                },
            )
        )
    return out


def _pitch(speed: tuple[float, float]) -> dict[str, float]:
    """{"pitch_semitones": n} for a match found through a pitch shift alone (a voice changer)."""
    freq_scale, time_scale = speed
    if time_scale != 1.0 or freq_scale == 1.0:
        return {}
    return {"pitch_semitones": round(-12 * math.log2(freq_scale), 2)}
