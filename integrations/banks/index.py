"""In-memory match indexes, built from banked fingerprints.

Images and video keyframes go into a FAISS binary index over 256-bit PDQ hashes: an exact
`IndexBinaryFlat` for small banks, and `IndexBinaryMultiHash` above `MULTIHASH_MIN_SIZE` (16
substrings of 16 bits with one bit flip: by the pigeonhole principle every hash within 31 bits has
at least one substring within one bit, so range searches up to 31 bits stay exact; HMA uses the same
index). Audio landmarks go into a sorted inverted index (numpy arrays of hash, item, offset)
searched with binary search and an offset-histogram vote.
"""

from __future__ import annotations

from dataclasses import dataclass

import faiss
import numpy as np

from .fingerprints import audio as audio_fp

PDQ_BITS = 256
MULTIHASH_MIN_SIZE = 50_000
MULTIHASH_MAX_EXACT_DISTANCE = 31
# Offsets vote in bins of this many frames, and a peak bin is summed with its neighbour, so a small
# residual speed error (drift across a long query) still lands in one bin.
OFFSET_BIN_FRAMES = 4


class HashIndex:
    """Range search over PDQ hashes; each row points at an owner id (an item, or a video's item)."""

    def __init__(self, hashes: np.ndarray, owners: np.ndarray) -> None:
        """Build from an (n, 32) uint8 array of hashes and an (n,) array of owner ids."""
        self.owners = np.asarray(owners, dtype=np.int64)
        hashes = np.ascontiguousarray(hashes, dtype=np.uint8).reshape(-1, PDQ_BITS // 8)
        if hashes.shape[0] >= MULTIHASH_MIN_SIZE:
            index = faiss.IndexBinaryMultiHash(PDQ_BITS, 16, 16)
            index.nflip = 1
        else:
            index = faiss.IndexBinaryFlat(PDQ_BITS)
        if hashes.shape[0]:
            index.add(hashes)
        self.index = index
        self.exact_limit = (
            MULTIHASH_MAX_EXACT_DISTANCE if isinstance(index, faiss.IndexBinaryMultiHash) else PDQ_BITS
        )

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def search(self, queries: np.ndarray, max_distance: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """Return, per query hash, (owner ids, distances) of every row within max_distance bits."""
        queries = np.ascontiguousarray(queries, dtype=np.uint8).reshape(-1, PDQ_BITS // 8)
        if len(self) == 0 or queries.shape[0] == 0:
            return [(np.zeros(0, np.int64), np.zeros(0, np.int32)) for _ in range(queries.shape[0])]
        radius = min(max_distance, self.exact_limit)
        # FAISS range search is strict (< radius), so search one bit wider.
        lims, distances, labels = self.index.range_search(queries, radius + 1)
        return [
            (self.owners[labels[lims[i] : lims[i + 1]]], distances[lims[i] : lims[i + 1]].astype(np.int32))
            for i in range(queries.shape[0])
        ]


@dataclass(frozen=True)
class AudioHit:
    """The best offset alignment of a query against one banked recording."""

    owner: int
    aligned: int  # landmark hashes that agree on the best offset
    offset_frames: int  # banked offset minus query offset, in frames
    speed: tuple[float, float]  # (frequency scale, time scale) of the query variant that matched


class AudioIndex:
    """Inverted index of landmark hashes: sorted arrays, looked up with binary search."""

    def __init__(self, hashes: np.ndarray, owners: np.ndarray, offsets: np.ndarray) -> None:
        """Build from parallel arrays (landmark hash, owner id < 2**31, offset in frames)."""
        order = np.argsort(hashes, kind="stable")
        self.hashes = np.ascontiguousarray(hashes[order], dtype=np.uint32)
        self.owners = np.ascontiguousarray(owners[order], dtype=np.int32)
        self.offsets = np.ascontiguousarray(offsets[order], dtype=np.int32)

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

    def vote(self, query: np.ndarray, min_aligned: int) -> dict[int, tuple[int, int]]:
        """Return {owner: (aligned count, offset in frames)} for owners with >= min_aligned aligned hashes."""
        if query.size == 0 or self.hashes.size == 0:
            return {}
        left = np.searchsorted(self.hashes, query["hash"], side="left")
        right = np.searchsorted(self.hashes, query["hash"], side="right")
        counts = right - left
        total = int(counts.sum())
        if total == 0:
            return {}
        # Expand each query hash's [left, right) range into flat positions without a Python loop.
        starts = np.repeat(left - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
        positions = starts + np.arange(total)
        owners = self.owners[positions]
        query_offsets = np.repeat(query["offset"].astype(np.int64), counts)
        # Only owners with enough hashes in common at all can have enough on one offset: dropping
        # the rest first keeps the sort below small when the index is large.
        per_owner = np.bincount(owners, minlength=0)
        keep = per_owner[owners] >= min_aligned
        if not keep.any():
            return {}
        positions, owners, query_offsets = positions[keep], owners[keep], query_offsets[keep]
        diffs = self.offsets[positions].astype(np.int64) - query_offsets
        bins = np.floor_divide(diffs, OFFSET_BIN_FRAMES)
        # One key per (owner, offset bin); count votes per key.
        key = owners.astype(np.int64) * (1 << 24) + (bins + (1 << 23))
        uniq, votes = np.unique(key, return_counts=True)
        # Add the next bin's votes so an alignment straddling a bin edge is counted whole.
        nxt = np.searchsorted(uniq, uniq + 1)
        nxt_ok = nxt < uniq.size
        neighbour = np.zeros_like(votes)
        hit = nxt_ok.copy()
        hit[nxt_ok] = uniq[nxt[nxt_ok]] == uniq[nxt_ok] + 1
        neighbour[hit] = votes[nxt[hit]]
        combined = votes + neighbour
        strong = combined >= min_aligned
        result: dict[int, tuple[int, int]] = {}
        for k, c in zip(uniq[strong].tolist(), combined[strong].tolist(), strict=True):
            owner, b = divmod(k, 1 << 24)
            if c > result.get(owner, (0, 0))[0]:
                result[owner] = (c, (b - (1 << 23)) * OFFSET_BIN_FRAMES)
        return result

    def search(self, peaks: audio_fp.Peaks, min_aligned: int) -> list[AudioHit]:
        """Match a query's peaks at normal speed, then over the speed grid if nothing matched."""
        best: dict[int, AudioHit] = {}
        for variant in audio_fp.SPEED_VARIANTS:
            marks = audio_fp.landmarks(peaks, freq_scale=variant[0], time_scale=variant[1])
            for owner, (aligned, offset) in self.vote(marks, min_aligned).items():
                if owner not in best or aligned > best[owner].aligned:
                    best[owner] = AudioHit(owner, aligned, offset, variant)
            if variant == (1.0, 1.0) and best and max(h.aligned for h in best.values()) >= 2 * min_aligned:
                break  # a clear copy at its original speed: the speed grid cannot change the answer
        return sorted(best.values(), key=lambda h: -h.aligned)
