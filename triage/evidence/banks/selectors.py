"""Reads for fingerprint banks, including the per-process match indexes built from them."""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db.models import BinaryField, Count, F, Func, Max, Value

from .fingerprints import image as image_fp
from .fingerprints import local_features
from .fingerprints import video as video_fp
from .index import AudioIndex, DescriptorIndex, HashIndex, stacked
from .models import BankedItem, BankPurpose, FingerprintBank

logger = logging.getLogger(__name__)


def file_sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def bank_list() -> list[FingerprintBank]:
    """Return every bank with its item count as `item_count`."""
    return list(FingerprintBank.objects.annotate(item_count=Count("items")).order_by("name"))


def banked_item_find(*, bank: FingerprintBank, sha256: str) -> BankedItem | None:
    """Return the item with these exact bytes in a bank, if banked already."""
    return BankedItem.objects.filter(bank=bank, sha256=sha256).first()


@dataclass(frozen=True)
class ItemMeta:
    """What a match needs to know about a banked item without another query."""

    bank_id: int
    sha256: str
    original_name: str
    media_item_id: int | None
    size: int  # PDQ hashes for images and video, landmarks for audio


@dataclass
class MediaIndex:
    """An index over every banked item of one media type, with the state it was built from."""

    state: tuple
    items: dict[int, ItemMeta] = field(default_factory=dict)
    hashes: HashIndex | None = None
    # Images: the banked edge bands, apart from the other hashes. A band of the query is looked up
    # here only, and nothing else is: a band meets a band, and the index of everything else stays
    # the size it was before bands (image_verify.candidate_hits).
    bands: HashIndex | None = None
    # Images: the first keypoints of each banked image that has some, for a vote when no hash of
    # the query comes near any (image_verify._voted_hits).
    descriptors: DescriptorIndex | None = None
    audio: AudioIndex | None = None
    # The audio index numbers items densely (int32 owners); this maps them back to primary keys.
    audio_pks: list[int] = field(default_factory=list)


# Two indexes per media type: the evidence banks, and the reference bank of every media item seen
# (clustering). The reference bank grows with each stored file; keeping it apart means that
# growth never rebuilds the evidence index the fingerprint check searches.
EVIDENCE_SCOPE = "evidence"
REFERENCE_SCOPE = "reference"
# The reference index grows by appending: new items go to a small delta index searched beside the
# base, until the delta passes this many items (or a quarter of the base) and both are rebuilt.
DELTA_MAX_ITEMS = 2000


@dataclass
class _Segments:
    state: tuple
    base: MediaIndex
    delta: MediaIndex | None = None

    @property
    def indexes(self) -> list[MediaIndex]:
        return [self.base] if self.delta is None else [self.base, self.delta]


_cache: dict[tuple[str, str], _Segments] = {}
_lock = threading.Lock()


def _state(rows) -> tuple:
    agg = rows.aggregate(n=Count("id"), newest=Max("id"), edited=Max("updated_at"))
    return (agg["n"], agg["newest"], agg["edited"])


def media_indexes(media_type: str, scope: str = EVIDENCE_SCOPE) -> list[MediaIndex]:
    """Return the match indexes for a media type and scope, rebuilt when its banked items changed.

    The indexes live in process memory and are keyed on (count, newest id, latest edit) of the
    banked items: adding, removing or editing an item changes that key, so every worker picks up
    changes on its next query without a message bus. Disabled banks stay in the index and are
    filtered at match time, so enabling one is instant. The evidence scope is one index; the
    reference scope, which gains an item per stored file, is a base and a delta of recent items,
    so a new item costs a small rebuild rather than a full one.
    """
    rows = BankedItem.objects.filter(media_type=media_type)
    if scope == REFERENCE_SCOPE:
        rows = rows.filter(bank__purpose=BankPurpose.REFERENCE)
    else:
        rows = rows.exclude(bank__purpose=BankPurpose.REFERENCE)
    state = _state(rows)
    with _lock:
        cached = _cache.get((media_type, scope))
        if cached is not None and cached.state == state:
            return cached.indexes
        segments = None
        if cached is not None and scope == REFERENCE_SCOPE:
            segments = _appended(media_type, cached.base, rows, state)
        if segments is None:
            # The evidence index is rebuilt whole, but its keypoint vote is carried over and changed
            # by the items added and removed (DescriptorIndex.with_changes).
            previous = cached.base if cached is not None and scope == EVIDENCE_SCOPE else None
            snapshot = scope == EVIDENCE_SCOPE  # the reference bank has no keypoints to vote with
            segments = _Segments(state, _build(media_type, state, rows, previous, snapshot=snapshot))
        _cache[(media_type, scope)] = segments
        return segments.indexes


def _appended(media_type: str, base: MediaIndex, rows, state: tuple) -> _Segments | None:
    """Return the base and a delta of the items added since it was built; None: rebuild it all."""
    count, newest, _ = base.state
    if newest is None or state[0] - count > max(DELTA_MAX_ITEMS, count // 4):
        return None
    # Only appends may go to the delta: an item removed or edited, or one committed late with an
    # older id, changes the rows the base was built from.
    if _state(rows.filter(id__lte=newest)) != base.state:
        return None
    added = rows.filter(id__gt=newest)
    return _Segments(state, base, _build(media_type, _state(added), added))


def _build(
    media_type: str, state: tuple, rows, previous: MediaIndex | None = None, *, snapshot: bool = False
) -> MediaIndex:
    """Build a media type's indexes from its banked rows (snapshot: the vote may start from and
    leave a snapshot, _descriptor_index)."""
    out = MediaIndex(state=state)
    blobs: list[tuple[int, bytes]] = []
    for pk, bank_id, sha256, name, media_item_id, blob in rows.values_list(
        "id", "bank_id", "sha256", "original_name", "media_item_id", "fingerprint"
    ).iterator(chunk_size=2000):
        blob = bytes(blob)
        # PDQ frames for video, PDQ hashes (image and crops) for images, landmarks for audio.
        size = len(blob) // 8 if media_type == "audio" else len(blob) // 32
        out.items[pk] = ItemMeta(bank_id, sha256, name, media_item_id, size)
        blobs.append((pk, blob))
    if media_type == "audio":
        out.audio_pks = [pk for pk, _ in blobs]
        out.audio = AudioIndex.from_fingerprints([(n, blob) for n, (_, blob) in enumerate(blobs)])
    else:
        frames = [(pk, video_fp.unpack(blob)) for pk, blob in blobs]
        if media_type == "image":
            cut = image_fp.BANK_BANDS_FROM
            out.bands = _hash_index([(pk, f[cut:]) for pk, f in frames])
            frames = [(pk, f[:cut]) for pk, f in frames]
            out.descriptors = _descriptor_index(
                rows, previous.descriptors if previous else None, snapshot=snapshot
            )
        out.hashes = _hash_index(frames)
    return out


def _descriptor_index(
    rows, previous: DescriptorIndex | None = None, *, snapshot: bool = False
) -> DescriptorIndex:
    """The vote keypoints of every item with stored keypoints: only the head of each blob is read.

    With a previous index, only the items added since are read, and those gone are taken out
    (DescriptorIndex.with_changes); a fresh build when that is not possible. snapshot: a process
    without a previous index starts from the snapshot another process left (VOTE_SNAPSHOT), if
    any, and a fresh inverted file is left as one.
    """
    with_keypoints = rows.exclude(local_features=b"")
    if previous is None and snapshot:
        previous = _vote_snapshot_load()
    if previous is not None and previous.inverted:
        items = np.fromiter(with_keypoints.values_list("id", flat=True).iterator(chunk_size=10_000), np.int64)
        added = np.setdiff1d(items, previous.items)
        if previous.keeps_lists(len(previous) + added.size * local_features.VOTE_KEYPOINTS):
            changed = previous.with_changes(
                _vote_keypoints(with_keypoints, added), np.setdiff1d(previous.items, items), items
            )
            if changed is not None:
                return changed
    per_item = _vote_keypoints(with_keypoints)
    built = DescriptorIndex(*stacked(per_item), items=np.array([pk for pk, _ in per_item], np.int64))
    if built.inverted and snapshot:
        _vote_snapshot_save(built)
    return built


# A fresh inverted file takes minutes at 1M banked images (k-means over 48M descriptors and their
# assignment to its lists: 211 s on a 2-core machine), which every process that starts (a worker
# restart, a deploy, one more machine) would pay before its first image query. The process that
# builds one leaves a snapshot in settings.BANKS_INDEX_DIR; a process without an index reads it
# (seconds) and carries it over to the bank as it is now, as a running process does after a change.
VOTE_SNAPSHOT = "image-vote.faissindex"


def _vote_snapshot_path() -> Path | None:
    directory = getattr(settings, "BANKS_INDEX_DIR", None)
    return Path(directory) / VOTE_SNAPSHOT if directory else None


def _vote_snapshot_load() -> DescriptorIndex | None:
    path = _vote_snapshot_path()
    if path is None or not path.exists():
        return None
    try:
        return DescriptorIndex.load(path)
    except Exception as exc:  # noqa: BLE001 - a bad snapshot costs a fresh build, never a failed query
        logger.warning(
            "vote index snapshot %s not read (%s: %s): building afresh", path, type(exc).__name__, exc
        )
        return None


def _vote_snapshot_save(index: DescriptorIndex) -> None:
    path = _vote_snapshot_path()
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        index.save(path)
    except (OSError, RuntimeError) as exc:  # a read-only or full disk (FAISS raises RuntimeError)
        # The next process builds afresh, as before snapshots: never a failed query.
        logger.warning("vote index snapshot %s not written (%s: %s)", path, type(exc).__name__, exc)


# Items whose keypoint heads one query reads, when only the added ones are wanted.
HEADS_PER_QUERY = 5_000


def _vote_keypoints(with_keypoints, only: np.ndarray | None = None) -> list[tuple[int, np.ndarray]]:
    """(item id, vote descriptors) of the items with keypoints (only those in `only`, if given)."""
    head = Func(
        F("local_features"),
        Value(1),
        Value(local_features.VOTE_PREFIX_BYTES),
        function="substr",
        output_field=BinaryField(),
    )
    if only is None:
        batches = [with_keypoints]
    else:
        ids = only.tolist()
        batches = [
            with_keypoints.filter(id__in=ids[k : k + HEADS_PER_QUERY])
            for k in range(0, len(ids), HEADS_PER_QUERY)
        ]
    out = []
    for batch in batches:
        for pk, prefix in batch.annotate(head=head).values_list("id", "head").iterator(chunk_size=2000):
            # An item stored before keypoint frames gives none; it is still one the index has seen.
            out.append((pk, local_features.vote_descriptors(bytes(prefix))))
    return out


def _hash_index(per_item: list[tuple[int, np.ndarray]]) -> HashIndex:
    """One index over every item's hashes (PDQ frames, hashes or bands), each owned by its item."""
    return HashIndex(*stacked(per_item))
