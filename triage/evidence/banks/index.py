"""In-memory match indexes, built from banked fingerprints.

Images and video keyframes: 256-bit PDQ hashes, in an exact FAISS `IndexBinaryFlat` for small banks,
and above `MULTIHASH_MIN_SIZE` in a multi-index hash (`MultiIndexHash`: what HMA's PDQ index does with
FAISS's `IndexBinaryMultiHash`, laid out as numpy tables, ~45x faster at 7M hashes).

Audio landmarks go into a sorted inverted index (numpy arrays of hash, item, offset) searched with
binary search and an offset-histogram vote.
"""

from __future__ import annotations

import itertools
import logging
import os
from dataclasses import dataclass
from pathlib import Path

# FAISS logs at INFO which CPU build it loads, on every process start; that is not news to operators.
logging.getLogger("faiss.loader").setLevel(logging.WARNING)

import faiss  # noqa: E402
import numpy as np  # noqa: E402

from .fingerprints import audio as audio_fp  # noqa: E402

PDQ_BITS = 256
MULTIHASH_MIN_SIZE = 50_000
MULTIHASH_MAX_EXACT_DISTANCE = 31
# (substrings, bits per substring, bit flips probed). Exact up to 31 bits needs
# substrings * (flips + 1) > 31: a hash that far differs in at most `flips` bits of some substring.
HMA_MULTIHASH_LAYOUT = (16, 16, 1)  # ThreatExchange/HMA's PDQ index (the benchmark's baseline)
# The layout by the number of hashes (the first whose minimum they reach). Substrings about as long
# as log2 of the hashes leave a probed bucket with about one row, so a query compares few rows in
# full; the cost is a table of 2**bits row positions per substring (369 MB for 11 x 23 bits).
# Measured with 28 query hashes (bench/banks/index_latency.py), CPU ms at 1M / 4M / 7M hashes:
# 16 x 16: 18 / 50 / 102; 12 x 21: 9 / 22 / 37; 11 x 23: 5 / 14 / 15 (FAISS's, HMA's layout: 648 at 7M).
MULTIHASH_LAYOUTS = ((4_000_000, (11, 23, 2)), (500_000, (12, 21, 2)), (0, HMA_MULTIHASH_LAYOUT))
# Rows compared in full per step of a search: bounds the memory of a query against a bank whose
# hashes crowd into few buckets (thousands of near-identical banked images).
MULTIHASH_STEP_ROWS = 4_000_000
# Offsets vote in bins of this many frames, and a peak bin is summed with its neighbour, so a small
# residual speed error (drift across a long query) still lands in one bin.
OFFSET_BIN_FRAMES = 4


def stacked(per_owner: list[tuple[int, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """(rows, owners): each owner's (k, 32) rows one after the other, each row with its owner's id."""
    kept = [(owner, rows) for owner, rows in per_owner if rows.shape[0]]
    if not kept:
        return np.zeros((0, 32), np.uint8), np.zeros(0, np.int64)
    owners = np.repeat(np.array([owner for owner, _ in kept], np.int64), [rows.shape[0] for _, rows in kept])
    return np.ascontiguousarray(np.concatenate([rows for _, rows in kept]), np.uint8), owners


def multihash_layout(n: int) -> tuple[int, int, int]:
    """The (substrings, bits, flips) layout for an index of n hashes."""
    return next(layout for minimum, layout in MULTIHASH_LAYOUTS if n >= minimum)


class MultiIndexHash:
    """Range search over PDQ hashes by multi-index hashing, exact up to 31 bits.

    Each hash is cut into substrings; a hash within 31 bits of the query agrees with it, on at
    least one substring, up to `flips` bits (pigeonhole). Per substring, the rows are sorted by
    that substring's value, with a dense table of where each value's rows start: a probe is two
    reads, and a query probes every substring's value and its variants with up to `flips` bits
    flipped, then compares the rows found in full. Hits farther than 31 bits are returned when a
    probe happened to find them (they are not all found).

    Why not FAISS's IndexBinaryMultiHash, which HMA uses: its buckets are a std::unordered_multimap,
    whose pointer chasing cost 648 ms of CPU for a query's 28 hashes at 7M banked hashes here, where
    these tables take 15 ms and half the memory (docs/benchmarks.md).
    """

    def __init__(self, hashes: np.ndarray, layout: tuple[int, int, int]) -> None:
        self.substrings, self.bits, flips = layout
        assert self.substrings * self.bits <= PDQ_BITS
        assert self.substrings * (flips + 1) > MULTIHASH_MAX_EXACT_DISTANCE
        self.words = np.ascontiguousarray(hashes, np.uint8).view(np.uint64)  # (n, 4), for the popcount
        n = self.words.shape[0]
        assert n < 2**31
        keys = self._keys(hashes)
        self.order = np.empty((self.substrings, n), np.int32)
        self.starts = np.empty((self.substrings, (1 << self.bits) + 1), np.int32)
        for s in range(self.substrings):
            self.order[s] = np.argsort(keys[:, s])
            self.starts[s, 0] = 0
            np.cumsum(np.bincount(keys[:, s], minlength=1 << self.bits), out=self.starts[s, 1:])
        self._row_base = np.arange(self.substrings, dtype=np.int64)[:, None] * n
        self.flips = np.array(
            [
                sum(1 << bit for bit in combination)
                for r in range(flips + 1)
                for combination in itertools.combinations(range(self.bits), r)
            ],
            np.int64,
        )

    def __len__(self) -> int:
        return int(self.words.shape[0])

    def _keys(self, hashes: np.ndarray) -> np.ndarray:
        """(n, substrings) values of each hash's substrings, read from its bits in order."""
        words = np.ascontiguousarray(hashes, np.uint8).view(">u8").astype(np.uint64)
        keys = np.empty((words.shape[0], self.substrings), np.int32)
        for s in range(self.substrings):
            start = s * self.bits
            word, offset = divmod(start, 64)
            spill = offset + self.bits - 64  # bits that run into the next word
            if spill <= 0:
                value = words[:, word] >> np.uint64(-spill)
            else:
                value = (words[:, word] << np.uint64(spill)) | (words[:, word + 1] >> np.uint64(64 - spill))
            keys[:, s] = (value & np.uint64((1 << self.bits) - 1)).astype(np.int32)
        return keys

    def search(self, queries: np.ndarray, max_distance: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per query hash, (rows, distances) of the rows within max_distance bits."""
        queries = np.ascontiguousarray(queries, np.uint8).reshape(-1, PDQ_BITS // 8)
        probes = self._keys(queries)[:, :, None] ^ self.flips  # (queries, substrings, variants)
        substring = np.arange(self.substrings)[None, :, None]
        first = self.starts[substring, probes].reshape(len(queries), -1)
        counts = self.starts[substring, probes + 1].reshape(len(queries), -1) - first
        first = first + np.broadcast_to(self._row_base[None], probes.shape).reshape(len(queries), -1)
        per_query = counts.sum(axis=1)
        out: list[tuple[np.ndarray, np.ndarray]] = []
        q = 0
        while q < len(queries):
            end = q + 1
            while end < len(queries) and per_query[q : end + 1].sum() <= MULTIHASH_STEP_ROWS:
                end += 1
            out += self._compare(queries[q:end], first[q:end], counts[q:end], max_distance)
            q = end
        return out

    def _compare(self, queries, first, counts, max_distance) -> list[tuple[np.ndarray, np.ndarray]]:
        lengths = counts.reshape(-1)
        nonempty = lengths > 0
        starts, lengths = first.reshape(-1)[nonempty], lengths[nonempty]
        # The positions of every probed bucket's rows, laid end to end.
        positions = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(lengths.sum())
        rows = self.order.reshape(-1)[positions]
        of_query = np.repeat(np.arange(len(queries)), counts.sum(axis=1))
        distances = np.bitwise_count(self.words[rows] ^ queries.view(np.uint64)[of_query]).sum(
            axis=1, dtype=np.int32
        )
        near = distances <= max_distance
        # A row found through several substrings counts once.
        found, unique = np.unique(of_query[near].astype(np.int64) << 32 | rows[near], return_index=True)
        rows, distances = rows[near][unique], distances[near][unique]
        bounds = np.searchsorted(found >> 32, np.arange(len(queries) + 1))
        return [(rows[a:b], distances[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


class HashIndex:
    """Range search over PDQ hashes; each row points at an owner id (an item, or a video's item)."""

    def __init__(
        self,
        hashes: np.ndarray,
        owners: np.ndarray,
        *,
        layout: tuple[int, int, int] | None = None,
    ) -> None:
        """Build from an (n, 32) uint8 array of hashes and an (n,) array of owner ids.

        layout: the multi-index hash's (default: multihash_layout of the size).
        """
        self.owners = np.asarray(owners, dtype=np.int64)
        hashes = np.ascontiguousarray(hashes, dtype=np.uint8).reshape(-1, PDQ_BITS // 8)
        self.index: MultiIndexHash | faiss.IndexBinaryFlat
        if hashes.shape[0] >= MULTIHASH_MIN_SIZE:
            self.index = MultiIndexHash(hashes, layout or multihash_layout(hashes.shape[0]))
        else:
            self.index = faiss.IndexBinaryFlat(PDQ_BITS)
            if hashes.shape[0]:
                self.index.add(hashes)

    def __len__(self) -> int:
        return len(self.index) if isinstance(self.index, MultiIndexHash) else int(self.index.ntotal)

    def search(self, queries: np.ndarray, max_distance: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """Return, per query hash, (owner ids, distances) of every row within max_distance bits.

        Above MULTIHASH_MIN_SIZE hashes, exact up to 31 bits; farther rows only when found.
        """
        queries = np.ascontiguousarray(queries, dtype=np.uint8).reshape(-1, PDQ_BITS // 8)
        if len(self) == 0 or queries.shape[0] == 0:
            return [(np.zeros(0, np.int64), np.zeros(0, np.int32)) for _ in range(queries.shape[0])]
        if isinstance(self.index, MultiIndexHash):
            return [(self.owners[rows], d) for rows, d in self.index.search(queries, max_distance)]
        # FAISS range search is strict (< radius), so search one bit wider.
        lims, distances, labels = self.index.range_search(queries, max_distance + 1)
        return [
            (self.owners[labels[lims[i] : lims[i + 1]]], distances[lims[i] : lims[i + 1]].astype(np.int32))
            for i in range(queries.shape[0])
        ]


# ORB descriptors (256 bits) of banked images' spread keypoints (local_features.VOTE_KEYPOINTS each).
# Two descriptors of the same spot after a re-encode or a rescale are mostly within ~40 bits; two
# unrelated ones are ~128 apart, rarely under 64.
DESCRIPTOR_BITS = 256
DESCRIPTOR_MAX_DISTANCE = 48
# Neighbours each query descriptor is given: a spot can be banked more than once (an image and a
# crop of it, near-duplicates), and each of those items should get its vote.
DESCRIPTOR_NEIGHBOURS = 8
DESCRIPTOR_RATIO = 0.8
# Above this many descriptors, an inverted file (IndexBinaryIVF) instead of an exact scan: each query
# descriptor is compared with the banked ones of its DESCRIPTOR_PROBES nearest clusters, of
# 2 sqrt(n) up to DESCRIPTOR_MAX_LISTS, trained on DESCRIPTOR_TRAIN_PER_LIST samples per cluster
# (k-means on 256 dimensions: the training is most of the build's time). A query brings ~1,000
# descriptors (as they are and mirrored), so an exact scan costs ~0.8 ms of CPU per thousand banked
# descriptors: 41 ms at 50,000 (~1,000 images), 374 ms at 480,000, where the inverted file takes
# 4 and 15 ms and still ranks the re-uploaded item first (bench/banks/index_latency.py).
DESCRIPTOR_IVF_MIN_SIZE = 50_000
DESCRIPTOR_MAX_LISTS = 4096
DESCRIPTOR_TRAIN_PER_LIST = 25
# Probed lists: the vote's cost at 1M images is proportional (8: 630 ms of CPU, 4: 330, 2: 169 on
# one machine) and 4 lost nothing against 8 (a planted re-upload ranked first 50/50 at 1M; real
# re-uploads voted among 100k images' descriptors: the same recall), 2 lost one screenshot of 21.
DESCRIPTOR_PROBES = 4


def _descriptor_lists(n: int) -> int:
    return min(int(2 * np.sqrt(n)), DESCRIPTOR_MAX_LISTS)


class DescriptorIndex:
    """Keypoint descriptors of banked images, each owned by its item, for a vote by the query's own.

    What finds a banked image when none of the query's hashes comes near it: a crop that takes from
    every side, a screenshot whose photo region was not found, a mirrored crop. Every query
    descriptor votes once for each item holding one of its near neighbours; an item with many votes
    is only a candidate, which the full keypoints confirm or not (image_verify).
    """

    def __init__(
        self, descriptors: np.ndarray, owners: np.ndarray, *, items: np.ndarray | None = None
    ) -> None:
        """Build from (n, 32) descriptors and their (n,) owner ids.

        items: the items the builder looked at, those with no descriptors (an old blob) included,
        so that with_changes knows them (default: the owners).
        """
        owners = np.asarray(owners, dtype=np.int64)
        descriptors = np.ascontiguousarray(descriptors, dtype=np.uint8).reshape(-1, DESCRIPTOR_BITS // 8)
        n = descriptors.shape[0]
        self.items = np.unique(owners if items is None else np.asarray(items, dtype=np.int64))
        # Labels a search returns are positions in owners (an exact index), or the owner ids
        # themselves (an inverted file stores an id with each entry, so entries can be removed).
        self.owners: np.ndarray | None = owners
        self._quantizer = None
        if n >= DESCRIPTOR_IVF_MIN_SIZE:
            lists = _descriptor_lists(n)
            quantizer = faiss.IndexBinaryFlat(DESCRIPTOR_BITS)
            index = faiss.IndexBinaryIVF(quantizer, DESCRIPTOR_BITS, lists)
            sample = np.random.default_rng(0).choice(
                n, size=min(n, lists * DESCRIPTOR_TRAIN_PER_LIST), replace=False
            )
            index.train(descriptors[np.sort(sample)])
            index.nprobe = DESCRIPTOR_PROBES
            self._quantizer = quantizer  # FAISS does not own it: keep it alive with the index
            index.add_with_ids(descriptors, owners)
            self.owners = None
        else:
            index = faiss.IndexBinaryFlat(DESCRIPTOR_BITS)
            if n:
                index.add(descriptors)
        self.index = index

    def with_changes(
        self, added: list[tuple[int, np.ndarray]], removed: np.ndarray, items: np.ndarray
    ) -> DescriptorIndex | None:
        """A copy with the removed items' descriptors taken out and the added items' put in.

        An inverted file keeps its trained lists: at 1M banked images the k-means training and
        the assignment of 48M descriptors take ~100 s, and banking one more image should not pay
        that again. None when a fresh build is due (keeps_lists): an exact index (a fresh one is as
        cheap), or a bank that has grown or shrunk so far that it wants twice or half the lists.
        items: every item the copy has looked at (as for the constructor).
        """
        descriptors, owners = stacked(added)
        if not self.keeps_lists(len(self) + len(owners)):
            return None
        index = self.index  # shared when nothing of the vote changed (an item's note was edited, say)
        if len(owners) or removed.size:
            # A copy: other threads may be searching this index while the copy changes.
            index = faiss.clone_binary_index(self.index)
        if removed.size:
            index.remove_ids(np.ascontiguousarray(removed, dtype=np.int64))
        if len(owners):
            index.add_with_ids(descriptors, owners)
        # A clone owns its quantizer; a shared index needs this one's kept alive.
        return DescriptorIndex._inverted(index, items, self._quantizer if index is self.index else None)

    @classmethod
    def _inverted(cls, index, items: np.ndarray, quantizer=None) -> DescriptorIndex:
        """An inverted file already built (carried over, or read), holding these items."""
        out = cls.__new__(cls)
        out.index, out.owners, out._quantizer = index, None, quantizer
        out.items = np.unique(np.asarray(items, dtype=np.int64))
        return out

    def save(self, path: Path) -> None:
        """Write an inverted file to path (atomically: a reader sees the old file or the new one)."""
        assert self.inverted, "an exact index is rebuilt faster than it is read"
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        try:
            faiss.write_index_binary(self.index, str(partial))
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)  # a full disk leaves no half-written file behind

    @classmethod
    def load(cls, path: Path) -> DescriptorIndex:
        """Read an inverted file that save wrote; its items are the owners found in its lists."""
        index = faiss.read_index_binary(str(path))
        if not isinstance(index, faiss.IndexBinaryIVF):
            raise ValueError(f"{path}: not an inverted file ({type(index).__name__})")
        index.nprobe = DESCRIPTOR_PROBES
        lists = index.invlists
        ids = [
            faiss.rev_swig_ptr(lists.get_ids(k), lists.list_size(k)).copy()
            for k in range(index.nlist)
            if lists.list_size(k)
        ]
        # A read index owns its quantizer.
        return cls._inverted(index, np.concatenate(ids) if ids else np.zeros(0, np.int64))

    def keeps_lists(self, descriptors: int) -> bool:
        """Whether this many descriptors (an upper bound) can go into this index's trained lists."""
        return (
            self.inverted
            and descriptors >= DESCRIPTOR_IVF_MIN_SIZE
            and 0.5 <= _descriptor_lists(descriptors) / self.index.nlist <= 2
        )

    def __len__(self) -> int:
        return int(self.index.ntotal)

    @property
    def inverted(self) -> bool:
        """Whether a search probes some lists (an inverted file) rather than scanning every descriptor."""
        return self.owners is None

    def votes(
        self,
        queries: np.ndarray,
        max_distance: int = DESCRIPTOR_MAX_DISTANCE,
        *,
        probes: int | None = None,
    ) -> dict[int, int]:
        """Return owner -> how many of the query descriptors have a neighbour of it within max_distance.

        probes: the inverted file's lists probed (default: the index's own, DESCRIPTOR_PROBES).
        """
        queries = np.ascontiguousarray(queries, dtype=np.uint8).reshape(-1, DESCRIPTOR_BITS // 8)
        if len(self) == 0 or queries.shape[0] == 0:
            return {}
        k = min(DESCRIPTOR_NEIGHBOURS, len(self))
        if probes is not None and self.inverted:
            # Per search, not on the index: other threads may be searching it.
            params = faiss.SearchParametersIVF(nprobe=probes)
            distances, labels = self.index.search(queries, k, params=params)
        else:
            distances, labels = self.index.search(queries, k)
        # Lowe's ratio test against the k-th neighbour: a descriptor of a generic spot (text, a flat
        # edge, an interface icon) is about as near to many banked ones, and votes for none of them.
        # The same spot banked in a few items (a photo and its crop) still stands out from the k-th.
        last = distances[:, -1:] if k == DESCRIPTOR_NEIGHBOURS else np.full((len(queries), 1), 256)
        near = (labels >= 0) & (distances <= max_distance) & (distances < DESCRIPTOR_RATIO * last)
        rows, columns = np.nonzero(near)
        if not len(rows):
            return {}
        found = labels[rows, columns]
        # One vote per query descriptor and owner, however many of the owner's descriptors are near.
        pairs = np.unique(np.stack([rows, found if self.owners is None else self.owners[found]]), axis=1)
        owners, counts = np.unique(pairs[1], return_counts=True)
        return dict(zip(owners.tolist(), counts.tolist(), strict=True))


@dataclass(frozen=True)
class AudioHit:
    """The best offset alignment of a query against one banked recording."""

    owner: int
    aligned: int  # landmark hashes that agree on the best offset
    offset_frames: int  # banked offset minus query offset, in frames
    speed: tuple[float, float]  # (frequency scale, time scale) of the query variant that matched


# Votes are counted in a hashed table of this many cells; only cells reaching the bar are checked exactly.
VOTE_TABLE_BITS = 22
# Stage two (the speed grid) looks only at the recordings that stage one ranked highest.
SHORTLIST_SIZE = 64
SHORTLIST_MIN_ALIGNED = 4
# Candidates (index entries) a coarse-speed vote may look at: its rarest landmarks are enough to shortlist.
COARSE_BUDGET = 400_000
BUCKET_TABLE_MIN_SIZE = 1 << 20
STOP_FACTOR = 2.0
STOP_MIN = 64  # small banks never stop-list


class AudioIndex:
    """Inverted index of landmark hashes: sorted arrays, looked up with binary search.

    Searching runs in stages. Stage one votes the query's landmarks, at its own speed, over the
    whole index; a clear match ends the search. Otherwise stage two votes the query re-hashed at a
    few coarse speeds (+-2%, +-4%) over the whole index, and keeps the SHORTLIST_SIZE best-scoring
    recordings; stage three re-hashes the query over the fine speed grid against those recordings
    only (a few thousand landmarks instead of the whole bank).
    """

    def __init__(self, hashes: np.ndarray, owners: np.ndarray, offsets: np.ndarray) -> None:
        """Build from parallel arrays (landmark hash, owner id < 2**31, offset in frames)."""
        owners = np.asarray(owners, dtype=np.int32)
        if owners.size > 1 and not bool(np.all(owners[1:] >= owners[:-1])):
            by_owner = np.argsort(owners, kind="stable")
            hashes, owners, offsets = hashes[by_owner], owners[by_owner], offsets[by_owner]
        order = np.argsort(hashes, kind="stable")
        self.hashes = np.ascontiguousarray(hashes[order], dtype=np.uint32)
        self.owners = np.ascontiguousarray(owners[order], dtype=np.int32)
        self.offsets = np.ascontiguousarray(offsets[order], dtype=np.int32)
        # Where each owner's landmarks sit in the hash-sorted arrays, grouped by owner, so stage three
        # can pull out one recording's landmarks without a scan.
        self.by_owner = np.empty(order.size, dtype=np.uint32 if order.size < 2**32 else np.int64)
        self.by_owner[order] = np.arange(order.size, dtype=self.by_owner.dtype)
        del order
        # Landmark hashes have HASH_BITS bits: a table of where each hash's run starts replaces a
        # binary search per query landmark (16 MB, whatever the bank's size).
        self.bucket_starts = (
            np.searchsorted(self.hashes, np.arange((1 << audio_fp.HASH_BITS) + 1, dtype=np.uint32))
            if self.hashes.size >= BUCKET_TABLE_MIN_SIZE
            else None
        )
        self.owner_ids, self.owner_starts = np.unique(owners, return_index=True)
        # A hash shared by more than STOP_FACTOR times the mean number of recordings is skipped at
        # query time (like a stop word); with speech, about a fifth of the landmarks.
        distinct = max(1, int(np.count_nonzero(np.diff(self.hashes))) + 1) if self.hashes.size else 1
        self.stop_above = max(STOP_MIN, int(STOP_FACTOR * self.hashes.size / distinct))
        self.owner_ends = np.append(self.owner_starts[1:], owners.size)

    @classmethod
    def from_fingerprints(cls, items: list[tuple[int, bytes]]) -> AudioIndex:
        """Build from (owner id, packed landmarks) pairs."""
        arrays = [audio_fp.unpack_landmarks(blob) for _, blob in items]
        if not arrays:
            return cls(np.zeros(0, np.uint32), np.zeros(0, np.int32), np.zeros(0, np.int32))
        marks = np.concatenate(arrays)
        owners = np.repeat(np.array([owner for owner, _ in items], np.int32), [a.size for a in arrays])
        return cls(marks["hash"], owners, marks["offset"].astype(np.int32))

    def __len__(self) -> int:
        return int(self.hashes.size)

    def owner_landmarks(self, owners: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (hashes, owners, offsets) of the given owners' landmarks."""
        slots = np.searchsorted(self.owner_ids, owners)
        parts = [self.by_owner[self.owner_starts[s] : self.owner_ends[s]] for s in slots.tolist()]
        positions = np.concatenate(parts) if parts else np.zeros(0, np.int64)
        return self.hashes[positions], self.owners[positions], self.offsets[positions]

    def vote(
        self, query: np.ndarray, min_aligned: int, *, budget: int | None = None, exact: bool = True
    ) -> dict[int, tuple[int, int]]:
        """Return {owner: (aligned count, offset in frames)} for owners with >= min_aligned aligned hashes.

        Aligned means: the banked offset minus the query offset falls in one window of
        2 * OFFSET_BIN_FRAMES frames (windows overlap by half, so no alignment straddles an edge;
        exact=False counts only one set of windows, faster, for shortlisting). budget caps the
        candidates looked at, taking the query's rarest landmarks first.
        """
        if query.size == 0 or self.hashes.size == 0:
            return {}
        if self.bucket_starts is not None:
            keys = query["hash"].astype(np.int64)
            left = self.bucket_starts[keys]
            counts = self.bucket_starts[keys + 1] - left
        else:
            left = np.searchsorted(self.hashes, query["hash"], side="left")
            counts = np.searchsorted(self.hashes, query["hash"], side="right") - left
        # Landmarks that half the bank shares say little and cost the most: skip them.
        counts[counts > self.stop_above] = 0
        if budget is not None and int(counts.sum()) > budget:
            order = np.argsort(counts, kind="stable")
            over = order[np.cumsum(counts[order]) > budget]
            counts[over] = 0
        total = int(counts.sum())
        if total == 0:
            return {}
        # Expand each query hash's [left, right) range into flat positions without a Python loop.
        starts = np.repeat(left - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
        positions = starts + np.arange(total)
        owners = self.owners[positions]
        diffs = self.offsets[positions] - np.repeat(query["offset"].astype(np.int32), counts)
        del positions, starts
        result: dict[int, tuple[int, int]] = {}
        width = 2 * OFFSET_BIN_FRAMES
        owner_mix = owners.view(np.uint32) * np.uint32(0x9E3779B1)
        # About four cells per candidate keeps chance collisions rare; a small table is cheap to clear.
        table_bits = int(min(VOTE_TABLE_BITS, max(10, np.ceil(np.log2(total)) + 2)))
        for shift in (0, OFFSET_BIN_FRAMES) if exact else (0,):
            bins = np.floor_divide(diffs + shift, width)
            # Count (owner, window) pairs in a hashed table in linear time; a cell below the bar
            # cannot hide a pair above it, so only pairs in cells at the bar are counted exactly.
            mixed = owner_mix ^ (bins.view(np.uint32) * np.uint32(0x85EBCA6B))
            cell = mixed >> np.uint32(32 - table_bits)
            table = np.bincount(cell, minlength=1 << table_bits)
            hot = table[cell] >= min_aligned
            if not hot.any():
                continue
            key = owners[hot].astype(np.int64) * (1 << 24) + (bins[hot].astype(np.int64) + (1 << 23))
            uniq, votes = np.unique(key, return_counts=True)
            strong = votes >= min_aligned
            for k, c in zip(uniq[strong].tolist(), votes[strong].tolist(), strict=True):
                owner, b = divmod(k, 1 << 24)
                if c > result.get(owner, (0, 0))[0]:
                    result[owner] = (c, (b - (1 << 23)) * width + OFFSET_BIN_FRAMES - shift)
        return result

    def search(self, peaks: audio_fp.Peaks, min_aligned: int, *, exhaustive: bool = False) -> list[AudioHit]:
        """Match a query's peaks at its own speed, then over the speed grid against a shortlist.

        exhaustive runs the speed grid even after a clear match at the query's own speed (to
        measure the best score, as the benchmark does).
        """
        plain = (1.0, 1.0)
        bar = min(min_aligned, SHORTLIST_MIN_ALIGNED)
        first = self.vote(audio_fp.landmarks(peaks), bar)
        best = {o: AudioHit(o, c, off, plain) for o, (c, off) in first.items() if c >= min_aligned}
        if not exhaustive and best and max(h.aligned for h in best.values()) >= 2 * min_aligned:
            return sorted(best.values(), key=lambda h: -h.aligned)
        # A copy sped up by a few percent barely registers at speed 1: try a coarse grid of speeds
        # over the whole bank to find candidates, then the fine grid on those candidates only.
        scores = {o: c for o, (c, _) in first.items()}
        pitch_budget = int(COARSE_BUDGET * audio_fp.PITCH_BUDGET_SHARE)
        coarse = [(v, COARSE_BUDGET) for v in audio_fp.COARSE_VARIANTS]
        coarse += [(v, pitch_budget) for v in audio_fp.PITCH_COARSE_VARIANTS]
        for variant, budget in coarse:
            marks = audio_fp.landmarks(peaks, freq_scale=variant[0], time_scale=variant[1])
            for owner, (aligned, _) in self.vote(marks, bar, budget=budget, exact=False).items():
                scores[owner] = max(aligned, scores.get(owner, 0))
        shortlist = sorted(scores, key=lambda o: -scores[o])[:SHORTLIST_SIZE]
        if shortlist:
            small = AudioIndex(*self.owner_landmarks(sorted(shortlist)))
            for variant in audio_fp.SPEED_VARIANTS[1:]:
                marks = audio_fp.landmarks(peaks, freq_scale=variant[0], time_scale=variant[1])
                for owner, (aligned, offset) in small.vote(marks, min_aligned).items():
                    if owner not in best or aligned > best[owner].aligned:
                        best[owner] = AudioHit(owner, aligned, offset, variant)
        return sorted(best.values(), key=lambda h: -h.aligned)
