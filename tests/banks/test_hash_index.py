"""The PDQ hash index above MULTIHASH_MIN_SIZE: multi-index hashing that is exact up to 31 bits."""

import faiss
import numpy as np
import pytest

from triage.evidence.banks import index as index_module
from triage.evidence.banks.index import (
    MULTIHASH_LAYOUTS,
    MULTIHASH_MIN_SIZE,
    HashIndex,
    MultiIndexHash,
    multihash_layout,
)


def flip(digest: np.ndarray, positions: list[int]) -> np.ndarray:
    bits = np.unpackbits(digest)
    bits[positions] ^= 1
    return np.packbits(bits)


def spread(layout: tuple[int, int, int], distance: int) -> list[int]:
    """Bit positions a distance apart from the query, as evenly over the substrings as possible:
    the worst case for multi-index hashing (each substring takes one more flip than it probes,
    while flips remain)."""
    substrings, bits, flips = layout
    positions: list[int] = []
    for s in range(substrings):
        take = min(flips + 1, distance - len(positions))
        positions += [s * bits + k for k in range(take)]
    uncovered = list(range(substrings * bits, 256))
    positions += uncovered[: distance - len(positions)]
    return positions


@pytest.fixture(scope="module")
def bank():
    rng = np.random.default_rng(16)
    hashes = rng.integers(0, 256, size=(MULTIHASH_MIN_SIZE + 1000, 32), dtype=np.uint8)
    return hashes, HashIndex(hashes, np.arange(hashes.shape[0]))


@pytest.mark.parametrize("layout", [layout for _, layout in MULTIHASH_LAYOUTS])
def test_a_hash_31_bits_away_in_the_worst_spread_is_found(layout):
    rng = np.random.default_rng(3)
    hashes = rng.integers(0, 256, size=(MULTIHASH_MIN_SIZE, 32), dtype=np.uint8)
    index = HashIndex(hashes, np.arange(hashes.shape[0]), layout=layout)
    far = flip(hashes[7], spread(layout, 31))
    too_far = flip(hashes[7], spread(layout, 32))

    (owners, distances), (beyond, _) = index.search(np.stack([far, too_far]), 31)

    assert isinstance(index.index, MultiIndexHash) and index.index.bits == layout[1]
    assert 7 in owners.tolist() and distances[owners.tolist().index(7)] == 31
    assert 7 not in beyond.tolist()


def test_the_index_answers_exactly_as_brute_force_up_to_31_bits(bank):
    hashes, index = bank
    rng = np.random.default_rng(5)
    flat = faiss.IndexBinaryFlat(256)
    flat.add(hashes)
    queries = np.stack(
        [flip(hashes[i], list(rng.choice(256, size=d, replace=False))) for i, d in enumerate(range(60))]
    )

    found = index.search(queries, 31)
    lims, _, labels = flat.range_search(queries, 32)

    for q, (owners, _) in enumerate(found):
        assert sorted(owners.tolist()) == sorted(labels[lims[q] : lims[q + 1]].tolist())
    assert sum(len(o) for o, _ in found) == 32  # the planted ones up to 31 bits, nothing by chance


def test_a_larger_bank_gets_longer_substrings():
    assert multihash_layout(MULTIHASH_MIN_SIZE) == (16, 16, 1)
    assert multihash_layout(1_000_000) == (12, 21, 2)
    assert multihash_layout(7_000_000) == (11, 23, 2)


def test_hashes_crowded_into_one_bucket_are_compared_a_few_queries_at_a_time(monkeypatch):
    # Thousands of near-identical banked images share their substrings: a query for them finds
    # every one through every substring, and the search goes step by step instead of all at once.
    monkeypatch.setattr(index_module, "MULTIHASH_STEP_ROWS", 100_000)
    rng = np.random.default_rng(8)
    hashes = rng.integers(0, 256, size=(MULTIHASH_MIN_SIZE + 5000, 32), dtype=np.uint8)
    hashes[:20_000] = hashes[0]
    index = HashIndex(hashes, np.arange(hashes.shape[0]))
    queries = np.stack([flip(hashes[0], [3, 90]), hashes[30_000], flip(hashes[0], list(range(40)))])

    crowd, single, none = index.search(queries, 31)

    assert sorted(crowd[0].tolist()) == list(range(20_000)) and set(crowd[1].tolist()) == {2}
    assert single[0].tolist() == [30_000]
    assert none[0].size == 0
